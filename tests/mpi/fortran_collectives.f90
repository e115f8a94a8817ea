! Collectives through the Fortran bindings (use mpi), against values computed here: Bcast, Reduce,
! Allreduce (DOUBLE PRECISION, INTEGER, LOGICAL; SUM, MAX, LAND; MPI_IN_PLACE), Gather, Scatter,
! Allgather in place, Alltoall, Alltoallv, Scan, MINLOC/MAXLOC on MPI_2DOUBLE_PRECISION and
! MPI_2INTEGER, user operations written in Fortran (one not commutative), a column-strided
! datatype, Barrier, Comm_split and Comm_dup. Any number of ranks >= 1.
!   ./cosched mpif90 tests/mpi/fortran_collectives.f90 -o fcoll && ./cosched run -n 3 -- ./fcoll
program fortran_collectives
  use mpi
  implicit none
  external :: matmul2, absmax ! the user operations, below
  integer, parameter :: sizes(4) = [1, 7, 1000, 40000]
  integer :: rank = -1, nranks, ierr, s, n, i, r, root, k, total
  double precision, allocatable :: a(:), b(:), e(:)
  integer, allocatable :: ia(:), ib(:), scounts(:), sdispls(:), rcounts(:), rdispls(:)
  double precision :: pairs(2, 3), pairs_out(2, 3), grid(5, 4)
  integer :: ipairs(2, 2), ipairs_out(2, 2), mats(4, 2), mats_out(4, 2)
  logical :: mine(2), all_of(2)
  integer :: op, mat, column, parity, dup, sub_rank, sub_size, result, x

  call MPI_Init(ierr)
  call MPI_Comm_rank(MPI_COMM_WORLD, rank, ierr)
  call MPI_Comm_size(MPI_COMM_WORLD, nranks, ierr)

  do s = 1, 4
    n = sizes(s)
    allocate(a(n * nranks), b(n * nranks), e(n), ia(n), ib(n))
    do root = 0, nranks - 1, max(1, nranks - 1)
      ! Bcast
      a = -1
      if (rank == root) a(1:n) = [(v(root, i), i = 1, n)]
      call MPI_Bcast(a, n, MPI_DOUBLE_PRECISION, root, MPI_COMM_WORLD, ierr)
      call check(all(a(1:n) == [(v(root, i), i = 1, n)]), 'MPI_Bcast of doubles')
      ! Reduce SUM to the root, then MAX in place at the root
      a(1:n) = [(v(rank, i), i = 1, n)]
      b = -1
      call MPI_Reduce(a, b, n, MPI_DOUBLE_PRECISION, MPI_SUM, root, MPI_COMM_WORLD, ierr)
      if (rank == root) then
        e = 0
        do r = 0, nranks - 1
          e = e + [(v(r, i), i = 1, n)]
        end do
        call check(all(b(1:n) == e), 'MPI_Reduce MPI_SUM of doubles')
      end if
      ia = [(rank * 10 + mod(i, 7), i = 1, n)]
      if (rank == root) then
        call MPI_Reduce(MPI_IN_PLACE, ia, n, MPI_INTEGER, MPI_MAX, root, MPI_COMM_WORLD, ierr)
        call check(all(ia == [((nranks - 1) * 10 + mod(i, 7), i = 1, n)]), 'MPI_Reduce MPI_MAX of integers in place')
      else
        call MPI_Reduce(ia, x, n, MPI_INTEGER, MPI_MAX, root, MPI_COMM_WORLD, ierr)
      end if
      ! Gather, Scatter
      a(1:n) = [(v(rank, i), i = 1, n)]
      call MPI_Gather(a, n, MPI_DOUBLE_PRECISION, b, n, MPI_DOUBLE_PRECISION, root, MPI_COMM_WORLD, ierr)
      if (rank == root) then
        do r = 0, nranks - 1
          call check(all(b(r * n + 1:r * n + n) == [(v(r, i), i = 1, n)]), 'MPI_Gather')
        end do
        b = 2 * b
      end if
      a = -1
      call MPI_Scatter(b, n, MPI_DOUBLE_PRECISION, a, n, MPI_DOUBLE_PRECISION, root, MPI_COMM_WORLD, ierr)
      call check(all(a(1:n) == [(2 * v(rank, i), i = 1, n)]), 'MPI_Scatter')
    end do
    ! Allreduce: integers SUM, doubles MAX, and SUM in place
    ia = [(rank + i, i = 1, n)]
    ib = -1
    call MPI_Allreduce(ia, ib, n, MPI_INTEGER, MPI_SUM, MPI_COMM_WORLD, ierr)
    call check(all(ib == [(nranks * (nranks - 1) / 2 + nranks * i, i = 1, n)]), 'MPI_Allreduce MPI_SUM of integers')
    a(1:n) = [(v(rank, i), i = 1, n)]
    call MPI_Allreduce(a, b, n, MPI_DOUBLE_PRECISION, MPI_MAX, MPI_COMM_WORLD, ierr)
    call check(all(b(1:n) == [(v(nranks - 1, i), i = 1, n)]), 'MPI_Allreduce MPI_MAX of doubles')
    call MPI_Allreduce(MPI_IN_PLACE, a, n, MPI_DOUBLE_PRECISION, MPI_SUM, MPI_COMM_WORLD, ierr)
    e = 0
    do r = 0, nranks - 1
      e = e + [(v(r, i), i = 1, n)]
    end do
    call check(all(a(1:n) == e), 'MPI_Allreduce MPI_SUM of doubles in place')
    ! Allgather in place: every rank's block already in its slot
    b = -1
    b(rank * n + 1:rank * n + n) = [(v(rank, i) + 1, i = 1, n)]
    call MPI_Allgather(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, b, n, MPI_DOUBLE_PRECISION, MPI_COMM_WORLD, ierr)
    do r = 0, nranks - 1
      call check(all(b(r * n + 1:r * n + n) == [(v(r, i) + 1, i = 1, n)]), 'MPI_Allgather in place')
    end do
    ! Alltoall: block r of rank q's send buffer goes to rank r's block q
    do r = 0, nranks - 1
      a(r * n + 1:r * n + n) = [(1000d0 * rank + r + i * 1d-3, i = 1, n)]
    end do
    b = -1
    call MPI_Alltoall(a, n, MPI_DOUBLE_PRECISION, b, n, MPI_DOUBLE_PRECISION, MPI_COMM_WORLD, ierr)
    do r = 0, nranks - 1
      call check(all(b(r * n + 1:r * n + n) == [(1000d0 * r + rank + i * 1d-3, i = 1, n)]), 'MPI_Alltoall')
    end do
    ! Scan: the sum over ranks 0..rank
    ia = [(rank + i, i = 1, n)]
    call MPI_Scan(ia, ib, n, MPI_INTEGER, MPI_SUM, MPI_COMM_WORLD, ierr)
    call check(all(ib == [(rank * (rank + 1) / 2 + (rank + 1) * i, i = 1, n)]), 'MPI_Scan')
    deallocate(a, b, e, ia, ib)
  end do

  ! Alltoallv: rank q sends r + q + 1 integers to rank r (value 100 q + r), at gapped displacements.
  allocate(scounts(nranks), sdispls(nranks), rcounts(nranks), rdispls(nranks))
  total = 0
  do r = 0, nranks - 1
    scounts(r + 1) = r + rank + 1
    sdispls(r + 1) = total
    total = total + scounts(r + 1) + 2
  end do
  allocate(ia(total))
  ia = -7
  do r = 0, nranks - 1
    ia(sdispls(r + 1) + 1:sdispls(r + 1) + scounts(r + 1)) = 100 * rank + r
  end do
  total = 0
  do r = 0, nranks - 1
    rcounts(r + 1) = rank + r + 1
    rdispls(r + 1) = total + 1
    total = total + rcounts(r + 1) + 1
  end do
  allocate(ib(total))
  ib = -1
  call MPI_Alltoallv(ia, scounts, sdispls, MPI_INTEGER, ib, rcounts, rdispls, MPI_INTEGER, MPI_COMM_WORLD, ierr)
  do r = 0, nranks - 1
    call check(all(ib(rdispls(r + 1) + 1:rdispls(r + 1) + rcounts(r + 1)) == 100 * r + rank), 'MPI_Alltoallv blocks')
    call check(ib(rdispls(r + 1)) == -1, 'MPI_Alltoallv wrote into a gap')
  end do
  deallocate(ia, ib, scounts, sdispls, rcounts, rdispls)

  ! MINLOC and MAXLOC: (value, index) pairs of doubles and of integers; ties go to the smaller index.
  do k = 1, 3
    pairs(1, k) = dble(mod(rank + k, nranks)) * k
    pairs(2, k) = rank
  end do
  call MPI_Allreduce(pairs, pairs_out, 3, MPI_2DOUBLE_PRECISION, MPI_MINLOC, MPI_COMM_WORLD, ierr)
  do k = 1, 3
    call check(pairs_out(1, k) == 0 .and. pairs_out(2, k) == dble(mod(nranks - mod(k, nranks), nranks)), &
        'MPI_MINLOC on MPI_2DOUBLE_PRECISION')
  end do
  ipairs(1, 1) = 5 - mod(rank, 2)
  ipairs(2, 1) = rank
  ipairs(1, 2) = rank
  ipairs(2, 2) = rank
  call MPI_Allreduce(ipairs, ipairs_out, 2, MPI_2INTEGER, MPI_MAXLOC, MPI_COMM_WORLD, ierr)
  call check(ipairs_out(1, 1) == 5 .and. ipairs_out(2, 1) == 0, 'MPI_MAXLOC on MPI_2INTEGER (tie)')
  call check(ipairs_out(1, 2) == nranks - 1 .and. ipairs_out(2, 2) == nranks - 1, 'MPI_MAXLOC on MPI_2INTEGER')

  ! LOGICALs: LAND and LOR.
  mine(1) = .true.
  mine(2) = rank == nranks - 1
  call MPI_Allreduce(mine, all_of, 2, MPI_LOGICAL, MPI_LAND, MPI_COMM_WORLD, ierr)
  call check(all_of(1) .and. (all_of(2) .eqv. nranks == 1), 'MPI_LAND on MPI_LOGICAL')
  call MPI_Allreduce(mine, all_of, 2, MPI_LOGICAL, MPI_LOR, MPI_COMM_WORLD, ierr)
  call check(all_of(1) .and. all_of(2), 'MPI_LOR on MPI_LOGICAL')

  ! A user operation that is not commutative: the product M0 x M1 x ... in rank order.
  call MPI_Type_contiguous(4, MPI_INTEGER, mat, ierr)
  call MPI_Type_commit(mat, ierr)
  call MPI_Op_create(matmul2, .false., op, ierr)
  call check(ierr == MPI_SUCCESS, 'MPI_Op_create')
  ! Two matrices per rank: as 8 MPI_INTEGERs (the operation sees len = 8), in place...
  do k = 1, 2
    mats(:, k) = matrix(rank, k)
  end do
  call MPI_Allreduce(MPI_IN_PLACE, mats, 8, MPI_INTEGER, op, MPI_COMM_WORLD, ierr)
  do k = 1, 2
    call check(all(mats(:, k) == product_of(k)), 'user operation (not commutative) on MPI_INTEGER, in place')
  end do
  ! ...and as 2 elements of a contiguous type (len = 2).
  do k = 1, 2
    mats(:, k) = matrix(rank, k)
  end do
  mats_out = -1
  call MPI_Allreduce(mats, mats_out, 2, mat, op, MPI_COMM_WORLD, ierr)
  do k = 1, 2
    call check(all(mats_out(:, k) == product_of(k)), 'user operation (not commutative) on a contiguous type')
  end do
  call MPI_Op_free(op, ierr)
  call check(op == MPI_OP_NULL, 'MPI_Op_free')
  call MPI_Type_free(mat, ierr)
  ! A commutative one on doubles, through Reduce.
  call MPI_Op_create(absmax, .true., op, ierr)
  pairs(1, :) = [-dble(rank), dble(rank) / 2, 1d0]
  call MPI_Reduce(pairs(1, :), pairs_out(1, :), 3, MPI_DOUBLE_PRECISION, op, 0, MPI_COMM_WORLD, ierr)
  if (rank == 0) call check(all(pairs_out(1, :) == [dble(nranks - 1), dble(nranks - 1) / 2, 1d0]), 'user operation absmax')
  call MPI_Op_free(op, ierr)

  ! A row of a Fortran array (column-major: stride 5) as a vector datatype.
  grid = -1
  if (rank == 0) grid(3, :) = [1d0, 2d0, 3d0, 4d0]
  call MPI_Type_vector(4, 1, 5, MPI_DOUBLE_PRECISION, column, ierr)
  call MPI_Type_commit(column, ierr)
  call MPI_Bcast(grid(3, 1), 1, column, 0, MPI_COMM_WORLD, ierr)
  call check(all(grid(3, :) == [1d0, 2d0, 3d0, 4d0]) .and. count(grid == -1) == 16, 'MPI_Type_vector row of a Fortran array')
  call MPI_Type_free(column, ierr)

  ! Split by parity (reversed order), Dup, Compare, Free.
  call MPI_Comm_split(MPI_COMM_WORLD, mod(rank, 2), -rank, parity, ierr)
  call MPI_Comm_size(parity, sub_size, ierr)
  call MPI_Comm_rank(parity, sub_rank, ierr)
  call check(sub_size == (nranks + 1 - mod(rank, 2)) / 2, 'MPI_Comm_split size')
  k = 0
  do r = rank + 2, nranks - 1, 2
    k = k + 1 ! the ranks of my colour above me come first (key -rank)
  end do
  call check(sub_rank == k, 'MPI_Comm_split rank (key -rank)')
  call MPI_Allreduce(rank, x, 1, MPI_INTEGER, MPI_SUM, parity, ierr)
  k = 0
  do r = mod(rank, 2), nranks - 1, 2
    k = k + r
  end do
  call check(x == k, 'MPI_Allreduce on a split communicator')
  call MPI_Comm_dup(parity, dup, ierr)
  call MPI_Comm_compare(parity, dup, result, ierr)
  call check(result == MPI_CONGRUENT, 'MPI_Comm_compare of a dup')
  call MPI_Bcast(x, 1, MPI_INTEGER, 0, dup, ierr)
  call check(x == k, 'MPI_Bcast on a dup')
  call MPI_Comm_free(dup, ierr)
  call MPI_Comm_free(parity, ierr)
  call check(dup == MPI_COMM_NULL .and. parity == MPI_COMM_NULL, 'MPI_Comm_free')

  call MPI_Barrier(MPI_COMM_WORLD, ierr)
  if (rank == 0) print '(a, i0, a)', 'fortran collectives ok on ', nranks, ' ranks'
  call MPI_Finalize(ierr)

contains

  ! The value rank r contributes at index i (exact in doubles).
  pure double precision function v(r, i)
    integer, intent(in) :: r, i
    v = dble((r + 1) * 3 + mod(i, 17))
  end function v

  ! Rank r's k-th matrix.
  pure function matrix(r, k) result(c)
    integer, intent(in) :: r, k
    integer :: c(4)
    c = [1, r + k, 0, 1]
    if (mod(r, 2) == 1) c = [0, 1, 1, k]
  end function matrix

  ! M0 x M1 x ... x M(n-1) of the ranks' k-th matrices.
  function product_of(k) result(c)
    integer, intent(in) :: k
    integer :: c(4), r
    c = [1, 0, 0, 1]
    do r = 0, nranks - 1
      c = mul(c, matrix(r, k))
    end do
  end function product_of

  pure function mul(p, q) result(c)
    integer, intent(in) :: p(4), q(4)
    integer :: c(4)
    c(1) = p(1) * q(1) + p(3) * q(2)
    c(2) = p(2) * q(1) + p(4) * q(2)
    c(3) = p(1) * q(3) + p(3) * q(4)
    c(4) = p(2) * q(3) + p(4) * q(4)
  end function mul

  subroutine check(ok, what)
    logical, intent(in) :: ok
    character(len=*), intent(in) :: what
    if (ok) return
    write (0, '(a, i0, 2a)') 'rank ', rank, ': check failed: ', what
    call exit(1)
  end subroutine check

end program fortran_collectives

! The user operations: external subroutines, as MPI_Op_create wants them.
! inout = in x inout for 2x2 integer matrices (column-major), not commutative. The elements are
! MPI_INTEGERs (4 to a matrix) or a type of 4 contiguous integers (one to a matrix).
subroutine matmul2(in, inout, len, datatype)
  use mpi
  implicit none
  integer, intent(in) :: len, datatype
  integer, intent(in) :: in(4, *)
  integer, intent(inout) :: inout(4, *)
  integer :: k, c(4)
  do k = 1, merge(len / 4, len, datatype == MPI_INTEGER)
    c(1) = in(1, k) * inout(1, k) + in(3, k) * inout(2, k)
    c(2) = in(2, k) * inout(1, k) + in(4, k) * inout(2, k)
    c(3) = in(1, k) * inout(3, k) + in(3, k) * inout(4, k)
    c(4) = in(2, k) * inout(3, k) + in(4, k) * inout(4, k)
    inout(:, k) = c
  end do
end subroutine matmul2

! inout = max(|in|, |inout|), element by element, on doubles.
subroutine absmax(in, inout, len, datatype)
  use mpi
  implicit none
  integer, intent(in) :: len, datatype
  double precision, intent(in) :: in(len)
  double precision, intent(inout) :: inout(len)
  if (datatype /= MPI_DOUBLE_PRECISION) stop 'absmax: not MPI_DOUBLE_PRECISION'
  inout = max(abs(in), abs(inout))
end subroutine absmax
