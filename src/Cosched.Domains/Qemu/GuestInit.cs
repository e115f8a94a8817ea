namespace Cosched.Domains.Qemu;

/// <summary>The guest's /init (busybox sh): mounts, loads the virtio modules, takes its hostname and
/// address from the kernel command line, mounts the image disk over the same paths as on the host,
/// and runs the guest agent on the virtio-serial port named <see cref="GuestImage.AgentPortName"/>.
/// Every failure is one "cosched-guest: ERROR ..." line on the console, which the launcher reports.</summary>
internal static class GuestInit
{
    public const string Script = """
        #!/bin/sh
        /bin/busybox --install -s /bin
        export PATH=/bin:/sbin:/usr/bin:/usr/sbin
        fail() { echo "cosched-guest: ERROR $*" > /dev/console; sleep 1; poweroff -f; }
        mount -t proc proc /proc
        mount -t sysfs sys /sys
        mount -t devtmpfs dev /dev
        arg() { for w in $(cat /proc/cmdline); do case $w in "$1"=*) echo "${w#*=}" ;; esac; done; }
        if [ "$(arg cosched.probe)" = 1 ]; then echo "cosched-guest: probe ok" > /dev/console; poweroff -f; fi
        mkdir -p /dev/shm /dev/pts /tmp /run /root /image
        mount -t tmpfs -o mode=1777 shm /dev/shm
        mount -t tmpfs -o mode=1777 tmp /tmp
        mount -t devpts devpts /dev/pts
        for m in /modules/*.ko; do insmod "$m" || fail "cannot load module $m"; done
        hostname "$(arg cosched.hostname)"
        i=0; while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
        mount -t ext4 -o ro /dev/vda /image || fail "cannot mount the image disk /dev/vda"
        for d in /image/*; do
          n=${d#/image}
          [ "$n" = /lost+found ] && continue
          # A directory the initramfs has (/bin, /tmp: a tmpfs) keeps its own entries and gains the image's.
          if [ -d "$n" ]; then
            for e in "$d"/*; do
              t="$n/${e##*/}"
              # What the initramfs has (busybox's applets in /bin) stays: binding over one of its
              # links would bind over busybox itself.
              if [ -e "$t" ] || [ -L "$t" ]; then [ -d "$e" ] && [ -d "$t" ] && [ ! -L "$t" ] || continue; fi
              if [ -d "$e" ]; then mkdir -p "$t"; else touch "$t"; fi
              mount --bind "$e" "$t" || fail "cannot mount $t"
            done
          else
            mkdir -p "$n"; mount --bind "$d" "$n" || fail "cannot mount $n"
          fi
        done
        ip link set lo up
        if [ -n "$(arg cosched.ip)" ]; then
          ip addr add "$(arg cosched.ip)" dev eth0 || fail "no eth0 for $(arg cosched.ip)"
          ip link set eth0 up
        fi
        port=
        for p in /sys/class/virtio-ports/*; do [ "$(cat "$p/name" 2>/dev/null)" = "$(arg cosched.port)" ] && port=/dev/${p##*/}; done
        [ -n "$port" ] || fail "no virtio-serial port named $(arg cosched.port)"
        export HOME=/root DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
        echo "cosched-guest: starting the agent on $port" > /dev/console
        "$(arg cosched.dotnet)" "$(arg cosched.cli)" vm agent "$port" 2> /dev/console || fail "the agent ended with code $?"
        poweroff -f
        """;
}
