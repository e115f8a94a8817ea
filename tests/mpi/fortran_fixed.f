c Fixed-form Fortran 77 with include 'mpif.h', written the way NPB's
c MPI codes are: the MPI state in a common block, one file that sends
c integers, doubles, logicals and complexes through the same routines
c (gfortran rejects that unless mpif90 adds -fallow-argument-mismatch),
c halo exchanges with irecv/send/wait and status(MPI_STATUS_SIZE), a
c transpose with alltoall on MPI_DOUBLE_COMPLEX, verification with
c reduce/allreduce (MPI_IN_PLACE too), timers on MPI_Wtime. Any number
c of ranks >= 1.
c   ./cosched mpif90 tests/mpi/fortran_fixed.f -o ffix
c   ./cosched run -n 4 -- ./ffix
      program fixed
      implicit none
      include 'mpif.h'
      integer node, no_nodes, root, comm_solve, dc_type
      common /mpistuff/ node, no_nodes, root, comm_solve, dc_type
      integer n
      parameter (n = 50)
      double precision u(n+2), t, rnorm, rmax
      double complex x(n, 12), y(n, 12)
      integer iparams(3), i, j, k, p, ierr, code, cls
      logical verified
      double precision dparams(2), tstart(4), elapsed(4)
      common /timers/ tstart, elapsed

      call setup_mpi
      call timer_clear(1)
      call timer_start(1)

c     inputs from the root, as NPB's bcast_inputs
      if (node .eq. root) then
         iparams(1) = 12
         iparams(2) = 34
         iparams(3) = 56
         dparams(1) = 0.5d0
         dparams(2) = 1.25d0
         verified = .true.
      endif
      call mpi_bcast(iparams, 3, MPI_INTEGER, root, comm_solve, ierr)
      call mpi_bcast(dparams, 2, MPI_DOUBLE_PRECISION, root,
     >               comm_solve, ierr)
      call mpi_bcast(verified, 1, MPI_LOGICAL, root, comm_solve, ierr)
      call check(iparams(2) .eq. 34 .and. dparams(2) .eq. 1.25d0
     >           .and. verified, 'mpi_bcast of the inputs')

c     a 1-d halo exchange
      do i = 1, n
         u(i+1) = node * 1000 + i
      end do
      call exchange(u, n)
      if (node .gt. 0) then
         call check(u(1) .eq. (node-1) * 1000 + n, 'left halo')
      endif
      if (node .lt. no_nodes - 1) then
         call check(u(n+2) .eq. (node+1) * 1000 + 1, 'right halo')
      endif

c     a transpose: columns 12/nodes*p... of x go to rank p
      do j = 0, 11
         do i = 1, n
            x(i, j+1) = dcmplx(node * 100 + j, i)
         end do
      end do
      k = 12 / no_nodes
      if (k * no_nodes .eq. 12) then
         call mpi_alltoall(x, n * k, dc_type, y, n * k, dc_type,
     >                     comm_solve, ierr)
         do p = 0, no_nodes - 1
            do j = 0, k - 1
               do i = 1, n
                  call check(y(i, p*k+j+1) .eq.
     >                       dcmplx(p * 100 + node*k + j, i),
     >                       'mpi_alltoall of double complex')
               end do
            end do
         end do
      endif

c     verification, as NPB's: norms summed and maxed over the ranks
      rnorm = 0.0d0
      do i = 2, n + 1
         rnorm = rnorm + u(i)
      end do
      call mpi_allreduce(rnorm, t, 1, MPI_DOUBLE_PRECISION, MPI_SUM,
     >                   comm_solve, ierr)
      call check(t .eq. 1000d0 * n * no_nodes * (no_nodes - 1) / 2
     >           + no_nodes * n * (n + 1) / 2d0, 'mpi_allreduce sum')
      rmax = node
      call mpi_reduce(rmax, t, 1, MPI_DOUBLE_PRECISION, MPI_MAX, root,
     >                comm_solve, ierr)
      if (node .eq. root) then
         call check(t .eq. no_nodes - 1, 'mpi_reduce max')
      endif
      iparams(1) = node
      call mpi_allreduce(MPI_IN_PLACE, iparams, 1, MPI_INTEGER,
     >                   MPI_MAX, comm_solve, ierr)
      call check(iparams(1) .eq. no_nodes - 1, 'in place max')
      verified = node .ge. 0
      call mpi_allreduce(MPI_IN_PLACE, verified, 1, MPI_LOGICAL,
     >                   MPI_LAND, comm_solve, ierr)
      call check(verified, 'mpi_allreduce of a logical (MPI_LAND)')

c     errors come back with MPI_ERRORS_RETURN
      call mpi_comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN,
     >                             ierr)
      call mpi_send(u, 1, MPI_DOUBLE_PRECISION, no_nodes, 0,
     >              MPI_COMM_WORLD, code)
      call mpi_error_class(code, cls, ierr)
      call check(cls .eq. MPI_ERR_RANK, 'bad rank: not MPI_ERR_RANK')
      call mpi_comm_set_errhandler(MPI_COMM_WORLD,
     >                             MPI_ERRORS_ARE_FATAL, ierr)

      call timer_stop(1)
      call check(elapsed(1) .gt. 0.0d0, 'timer on MPI_Wtime')
      call mpi_barrier(MPI_COMM_WORLD, ierr)
      if (node .eq. root) then
         write (*, '(a, i0, a)') 'fortran fixed-form ok on ',
     >      no_nodes, ' ranks'
      endif
      call mpi_finalize(ierr)
      end

c---------------------------------------------------------------------
      subroutine setup_mpi
      implicit none
      include 'mpif.h'
      integer node, no_nodes, root, comm_solve, dc_type
      common /mpistuff/ node, no_nodes, root, comm_solve, dc_type
      integer ierr, comm_split
      logical flag

      call mpi_init(ierr)
      call mpi_initialized(flag, ierr)
      call check(flag, 'mpi_initialized')
      call mpi_comm_size(MPI_COMM_WORLD, no_nodes, ierr)
      call mpi_comm_rank(MPI_COMM_WORLD, node, ierr)
      root = 0
      dc_type = MPI_DOUBLE_COMPLEX
c     every rank takes part: one colour, as NPB does when the count fits
      call mpi_comm_split(MPI_COMM_WORLD, 1, node, comm_split, ierr)
      call mpi_comm_dup(comm_split, comm_solve, ierr)
      call mpi_comm_free(comm_split, ierr)
      return
      end

c---------------------------------------------------------------------
c     u(1) and u(n+2) from the neighbours, as NPB LU's exchange_3
      subroutine exchange(u, n)
      implicit none
      include 'mpif.h'
      integer node, no_nodes, root, comm_solve, dc_type
      common /mpistuff/ node, no_nodes, root, comm_solve, dc_type
      integer n
      double precision u(n+2)
      integer status(MPI_STATUS_SIZE), statuses(MPI_STATUS_SIZE, 2)
      integer mid, reqs(2), ierr, count, left, right

      left = node - 1
      right = node + 1
      if (left .lt. 0) left = MPI_PROC_NULL
      if (right .eq. no_nodes) right = MPI_PROC_NULL
c     to the right, then from the left with a wait on the status
      call mpi_irecv(u(1), 1, MPI_DOUBLE_PRECISION, left, 1,
     >               comm_solve, mid, ierr)
      call mpi_send(u(n+1), 1, MPI_DOUBLE_PRECISION, right, 1,
     >              comm_solve, ierr)
      call mpi_wait(mid, status, ierr)
      call mpi_get_count(status, MPI_DOUBLE_PRECISION, count, ierr)
      if (left .ne. MPI_PROC_NULL) then
         call check(status(MPI_SOURCE) .eq. left .and.
     >              status(MPI_TAG) .eq. 1 .and. count .eq. 1,
     >              'mpi_wait status of the left halo')
      else
         call check(status(MPI_SOURCE) .eq. MPI_PROC_NULL,
     >              'status of a receive from MPI_PROC_NULL')
      endif
c     to the left, from the right: non-blocking both ways, waitall
      call mpi_irecv(u(n+2), 1, MPI_DOUBLE_PRECISION, right, 2,
     >               comm_solve, reqs(1), ierr)
      call mpi_isend(u(2), 1, MPI_DOUBLE_PRECISION, left, 2,
     >               comm_solve, reqs(2), ierr)
      call mpi_waitall(2, reqs, statuses, ierr)
      if (right .ne. MPI_PROC_NULL) then
         call check(statuses(MPI_SOURCE, 1) .eq. right,
     >              'mpi_waitall statuses(MPI_SOURCE, 1)')
      endif
c     and once more, ignoring the statuses
      call mpi_irecv(u(n+2), 1, MPI_DOUBLE_PRECISION, right, 3,
     >               comm_solve, reqs(1), ierr)
      call mpi_isend(u(2), 1, MPI_DOUBLE_PRECISION, left, 3,
     >               comm_solve, reqs(2), ierr)
      call mpi_waitall(2, reqs, MPI_STATUSES_IGNORE, ierr)
      call mpi_recv(u(1), 0, MPI_DOUBLE_PRECISION, MPI_PROC_NULL, 4,
     >              comm_solve, MPI_STATUS_IGNORE, ierr)
      call check(reqs(1) .eq. MPI_REQUEST_NULL .and.
     >           reqs(2) .eq. MPI_REQUEST_NULL, 'requests not null')
      return
      end

c---------------------------------------------------------------------
c     NPB's timers
      subroutine timer_clear(n)
      implicit none
      integer n
      double precision tstart(4), elapsed(4)
      common /timers/ tstart, elapsed
      elapsed(n) = 0.0d0
      return
      end

      subroutine timer_start(n)
      implicit none
      include 'mpif.h'
      integer n
      double precision tstart(4), elapsed(4)
      common /timers/ tstart, elapsed
      tstart(n) = MPI_Wtime()
      return
      end

      subroutine timer_stop(n)
      implicit none
      include 'mpif.h'
      integer n
      double precision tstart(4), elapsed(4), t
      common /timers/ tstart, elapsed
      t = MPI_Wtime()
      elapsed(n) = elapsed(n) + (t - tstart(n))
      return
      end

c---------------------------------------------------------------------
      subroutine check(ok, what)
      implicit none
      include 'mpif.h'
      logical ok
      character*(*) what
      integer rank, ierr
      if (ok) return
      call mpi_comm_rank(MPI_COMM_WORLD, rank, ierr)
      write (0, '(a, i0, 2a)') 'rank ', rank, ': check failed: ', what
      call exit(1)
      end
