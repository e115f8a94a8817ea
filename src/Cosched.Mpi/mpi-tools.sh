#!/usr/bin/env bash
# `cosched mpicc|mpicxx|mpif90|mpif77|mpi-env`: compiler wrappers for Cosched's MPI library.
# Builds libmpi.so (Native AOT: clang and lld, the ILCompiler package from NuGet), mpi.h, and for
# Fortran libmpifort.so (fortran/mpi_fortran.c: gfortran's bindings over libmpi.so), mpif.h and
# gfortran's `mpi` module into .build/mpi on first use and whenever a source changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/.build/mpi"
stamp="$out/.built"
tool=$1
shift

stale() {
  [[ ! -f $out/lib/libmpi.so || ! -f $out/lib/libmpifort.so || ! -f $stamp ]] && return 0
  [[ -n $(find "$root/src/Cosched.Mpi" "$root/src/Cosched.Messaging" "$root/Directory.Build.props" \( -name bin -o -name obj \) -prune -o -newer "$stamp" \
      \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.h' -o -name '*.c' -o -name '*.f90' -o -name '*.sh' \) \
      -print -quit 2>/dev/null) ]]
}

build() {
  mkdir -p "$out"
  exec 9>"$out/.lock"
  flock 9
  if stale; then
    local log="$out/build.log"
    for need in clang ld.lld; do
      command -v "$need" >/dev/null || { echo "cosched: building libmpi.so needs $need (apt-get install clang lld)" >&2; exit 2; }
    done
    echo "cosched: building the MPI library (Native AOT, about a minute)..." >&2
    rm -rf "$out/lib" "$out/include" "$out/bin"
    if ! dotnet publish "$root/src/Cosched.Mpi/Cosched.Mpi.csproj" -c Release -o "$out/publish" --nologo -v quiet >"$log" 2>&1; then
      grep -E "error" "$log" | sort -u | head -20 >&2
      echo "cosched: building the MPI library failed (full log: $log)" >&2
      exit 1
    fi
    mkdir -p "$out/lib" "$out/include" "$out/bin"
    cp "$out/publish/Cosched.Mpi.so" "$out/lib/libmpi.so"
    cp "$root/src/Cosched.Mpi/include/"*.h "$out/include/"
    # The Fortran bindings: C over libmpi.so, found beside it ($ORIGIN is .build/mpi/lib).
    local cc
    cc=$(command -v gcc || command -v clang)
    if ! "$cc" -O2 -fPIC -shared -Wall -Wextra -I"$out/include" "$root/src/Cosched.Mpi/fortran/mpi_fortran.c" \
        -o "$out/lib/libmpifort.so" -L"$out/lib" -lmpi -Wl,-rpath,'$ORIGIN' >>"$log" 2>&1; then
      echo "cosched: compiling the Fortran bindings (libmpifort.so) failed (full log: $log)" >&2
      exit 1
    fi
    if command -v gfortran >/dev/null && [[ -f $root/src/Cosched.Mpi/include/mpi.f90 ]]; then
      cp "$root/src/Cosched.Mpi/include/mpif.h" "$out/include/"
      (cd "$out/include" && gfortran -c -I. "$root/src/Cosched.Mpi/include/mpi.f90" -o mpi_module.o) >>"$log" 2>&1 \
        || { echo "cosched: compiling the Fortran mpi module failed (full log: $log)" >&2; exit 1; }
    fi
    for w in mpicc mpicxx mpic++ mpif90 mpif77 mpifort; do
      printf '#!/bin/sh\nexec "%s" %s "$@"\n' "$root/cosched" "${w/mpic++/mpicxx}" > "$out/bin/$w"
      chmod +x "$out/bin/$w"
    done
    sed -i 's/ mpifort / mpif90 /; s/ mpif77 / mpif90 /' "$out/bin/mpifort" "$out/bin/mpif77"
    touch "$stamp"
  fi
  exec 9>&-
}

# compile COMPILER LIBS ARGS...: adds the include path, and the libraries (LIBS, words) when the
# command links.
compile() {
  local compiler=$1 libs=$2
  shift 2
  local links=1
  for a in "$@"; do
    case $a in -c|-S|-E|-M|-MM) links=0 ;; esac
  done
  if (( links )); then
    # shellcheck disable=SC2086 # LIBS is a list of words
    exec "$compiler" -I"$out/include" "$@" -L"$out/lib" $libs -Wl,-rpath,"$out/lib"
  else
    exec "$compiler" -I"$out/include" "$@"
  fi
}

build
case $tool in
  mpicc) compile "${COSCHED_CC:-gcc}" -lmpi "$@" ;;
  mpicxx) compile "${COSCHED_CXX:-g++}" -lmpi "$@" ;;
  mpif90)
    fc=${COSCHED_FC:-gfortran}
    # gfortran 10 and later reject one routine called with buffers of different types in one file,
    # which mpif.h code (NPB's) does all the time: -fallow-argument-mismatch makes that a warning
    # (`use mpi` code has no such warnings: the module's interfaces skip the buffers' checks).
    if [[ $("$fc" -dumpfullversion -dumpversion 2>/dev/null) =~ ^([0-9]+) ]] && (( BASH_REMATCH[1] >= 10 )) \
        && "$fc" --version 2>/dev/null | grep -q 'GNU Fortran'; then
      set -- -fallow-argument-mismatch "$@"
    fi
    compile "$fc" "-lmpifort -lmpi" "$@" ;;
  mpi-env)
    echo "export PATH=\"$out/bin:\$PATH\""
    echo "# cosched: mpicc, mpicxx, mpif90 (and mpif77, mpifort) now compile against Cosched's MPI library" >&2 ;;
  *) echo "cosched: unknown MPI tool '$tool'" >&2; exit 2 ;;
esac
