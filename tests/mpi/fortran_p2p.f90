! Point-to-point through the Fortran bindings (use mpi): arguments by reference, status arrays and
! MPI_STATUS(ES)_IGNORE, wildcards, Get_count, non-blocking calls and the 1-based indices of
! Waitany/Waitsome, LOGICAL flags, MPI_PROC_NULL, MPI_ERRORS_RETURN, the hidden lengths of
! Get_processor_name and Error_string, MPI_Wtime. Any number of ranks >= 2.
!   ./cosched mpif90 tests/mpi/fortran_p2p.f90 -o fp2p && ./cosched run -n 2 -- ./fp2p
program fortran_p2p
  use mpi
  implicit none
  integer :: rank = -1, size, next, prev, ierr, i, k, n, count, src, cls, length, idx, outcount
  integer :: status(MPI_STATUS_SIZE), req, x
  integer, allocatable :: out(:), in(:), reqs(:), statuses(:,:), indices(:)
  double precision :: v(64), t1, t2
  logical :: flag
  character(len=MPI_MAX_PROCESSOR_NAME) :: name
  character(len=MPI_MAX_ERROR_STRING) :: text
  character(len=8) :: short
  character(len=256) :: host

  call MPI_Initialized(flag, ierr)
  call check(ierr == MPI_SUCCESS .and. .not. flag, 'MPI_Initialized before MPI_Init is .true.')
  call MPI_Init(ierr)
  call check(ierr == MPI_SUCCESS, 'MPI_Init')
  call MPI_Initialized(flag, ierr)
  call check(flag, 'MPI_Initialized after MPI_Init is .false.')
  call MPI_Comm_rank(MPI_COMM_WORLD, rank, ierr)
  call MPI_Comm_size(MPI_COMM_WORLD, size, ierr)
  call check(size >= 2, 'needs 2 ranks')
  next = mod(rank + 1, size)
  prev = mod(rank + size - 1, size)

  ! A ring of growing messages (past the eager limit): status(MPI_SOURCE), status(MPI_TAG), Get_count.
  do i = 0, 5
    n = 1 + i * 20011
    allocate(out(n), in(n))
    do k = 1, n
      out(k) = rank * 1000000 + i * 1000 + mod(k, 1000)
    end do
    in = -1
    call MPI_Isend(out, n, MPI_INTEGER, next, 7, MPI_COMM_WORLD, req, ierr)
    call MPI_Recv(in, n, MPI_INTEGER, prev, 7, MPI_COMM_WORLD, status, ierr)
    call check(ierr == MPI_SUCCESS, 'MPI_Recv of the ring')
    call MPI_Get_count(status, MPI_INTEGER, count, ierr)
    call check(count == n, 'MPI_Get_count of the ring message')
    call check(status(MPI_SOURCE) == prev .and. status(MPI_TAG) == 7, 'status(MPI_SOURCE) / status(MPI_TAG) of the ring')
    do k = 1, n
      if (in(k) /= prev * 1000000 + i * 1000 + mod(k, 1000)) call check(.false., 'ring message contents')
    end do
    call MPI_Wait(req, MPI_STATUS_IGNORE, ierr)
    call check(req == MPI_REQUEST_NULL, 'a completed request is not MPI_REQUEST_NULL')
    deallocate(out, in)
  end do
  call check(all(MPI_STATUS_IGNORE == 0), 'MPI_STATUS_IGNORE was written to')

  ! Wildcards: every other rank sends rank 0 `rank` doubles with tag 100 + rank; Probe, then Recv.
  if (rank == 0) then
    do i = 1, size - 1
      call MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, status, ierr)
      src = status(MPI_SOURCE)
      call check(src >= 1 .and. src < size .and. status(MPI_TAG) == 100 + src, 'MPI_Probe status')
      call MPI_Get_count(status, MPI_DOUBLE_PRECISION, count, ierr)
      call check(count == src, 'MPI_Get_count after MPI_Probe')
      v = 0
      call MPI_Recv(v, 64, MPI_DOUBLE_PRECISION, MPI_ANY_SOURCE, status(MPI_TAG), MPI_COMM_WORLD, status, ierr)
      call check(status(MPI_SOURCE) == src .and. status(MPI_TAG) == 100 + src, 'wildcard receive status')
      call MPI_Get_count(status, MPI_DOUBLE_PRECISION, count, ierr)
      call check(count == src, 'MPI_Get_count of a wildcard receive')
      do k = 1, count
        call check(v(k) == src + k * 0.5d0, 'wildcard receive contents')
      end do
    end do
  else
    do k = 1, rank
      v(k) = rank + k * 0.5d0
    end do
    call MPI_Send(v, rank, MPI_DOUBLE_PRECISION, 0, 100 + rank, MPI_COMM_WORLD, ierr)
  end if
  call MPI_Barrier(MPI_COMM_WORLD, ierr) ! no other message may meet rank 0's wildcards

  ! Non-blocking to and from every other rank, Waitall with an array of statuses.
  allocate(reqs(2 * (size - 1)), statuses(MPI_STATUS_SIZE, 2 * (size - 1)), out(size), in(size))
  in = -1
  n = 0
  do k = 0, size - 1
    if (k == rank) cycle
    n = n + 1
    call MPI_Irecv(in(k + 1), 1, MPI_INTEGER, k, 11, MPI_COMM_WORLD, reqs(n), ierr)
  end do
  do k = 0, size - 1
    if (k == rank) cycle
    n = n + 1
    out(k + 1) = rank * 100 + k
    call MPI_Isend(out(k + 1), 1, MPI_INTEGER, k, 11, MPI_COMM_WORLD, reqs(n), ierr)
  end do
  statuses = -5
  call MPI_Waitall(n, reqs, statuses, ierr)
  call check(ierr == MPI_SUCCESS .and. all(reqs == MPI_REQUEST_NULL), 'MPI_Waitall')
  i = 0
  do k = 0, size - 1
    if (k == rank) cycle
    i = i + 1
    call check(in(k + 1) == k * 100 + rank, 'MPI_Irecv contents')
    call check(statuses(MPI_SOURCE, i) == k .and. statuses(MPI_TAG, i) == 11, 'MPI_Waitall statuses(MPI_SOURCE/MPI_TAG, i)')
    call MPI_Get_count(statuses(1, i), MPI_INTEGER, count, ierr)
    call check(count == 1, 'MPI_Get_count of statuses(:, i)')
  end do
  ! The same with MPI_STATUSES_IGNORE.
  n = 0
  do k = 0, size - 1
    if (k == rank) cycle
    n = n + 1
    call MPI_Irecv(in(k + 1), 1, MPI_INTEGER, k, 12, MPI_COMM_WORLD, reqs(n), ierr)
    n = n + 1
    call MPI_Isend(out(k + 1), 1, MPI_INTEGER, k, 12, MPI_COMM_WORLD, reqs(n), ierr)
  end do
  call MPI_Waitall(n, reqs, MPI_STATUSES_IGNORE, ierr)
  call check(ierr == MPI_SUCCESS .and. all(reqs == MPI_REQUEST_NULL), 'MPI_Waitall with MPI_STATUSES_IGNORE')
  call check(all(MPI_STATUSES_IGNORE == 0), 'MPI_STATUSES_IGNORE was written to')
  deallocate(reqs, statuses, out, in)

  ! Waitany's index is 1-based: rank 1 sends tag 3, then (when rank 0 says so) tag 2.
  allocate(reqs(3), in(3))
  if (rank == 0) then
    reqs(1) = MPI_REQUEST_NULL
    call MPI_Irecv(in(2), 1, MPI_INTEGER, 1, 2, MPI_COMM_WORLD, reqs(2), ierr)
    call MPI_Irecv(in(3), 1, MPI_INTEGER, 1, 3, MPI_COMM_WORLD, reqs(3), ierr)
    call MPI_Waitany(3, reqs, idx, status, ierr)
    call check(idx == 3 .and. status(MPI_TAG) == 3 .and. in(3) == 33, 'MPI_Waitany index (1-based) of the tag 3 message')
    call check(reqs(3) == MPI_REQUEST_NULL .and. reqs(2) /= MPI_REQUEST_NULL, 'MPI_Waitany completed the wrong request')
    call MPI_Test(reqs(2), flag, status, ierr)
    call check(ierr == MPI_SUCCESS .and. .not. flag, 'MPI_Test of a pending receive gave .true.')
    call MPI_Iprobe(1, 2, MPI_COMM_WORLD, flag, status, ierr)
    call check(.not. flag, 'MPI_Iprobe of a message not sent gave .true.')
    call MPI_Send(x, 0, MPI_INTEGER, 1, 1, MPI_COMM_WORLD, ierr)
    call MPI_Waitany(3, reqs, idx, MPI_STATUS_IGNORE, ierr)
    call check(idx == 2 .and. in(2) == 22, 'MPI_Waitany index (1-based) of the tag 2 message')
    call MPI_Waitany(3, reqs, idx, status, ierr)
    call check(idx == MPI_UNDEFINED, 'MPI_Waitany of null requests is not MPI_UNDEFINED')
    ! Testany and Waitsome, 1-based too.
    call MPI_Irecv(in(1), 1, MPI_INTEGER, 1, 4, MPI_COMM_WORLD, reqs(1), ierr)
    call MPI_Irecv(in(2), 1, MPI_INTEGER, 1, 5, MPI_COMM_WORLD, reqs(2), ierr)
    flag = .false.
    do while (.not. flag)
      call MPI_Testany(3, reqs, idx, flag, status, ierr)
    end do
    call check(idx == 2 .and. status(MPI_TAG) == 5 .and. in(2) == 55, 'MPI_Testany index (1-based)')
    call MPI_Send(x, 0, MPI_INTEGER, 1, 1, MPI_COMM_WORLD, ierr)
    allocate(indices(3), statuses(MPI_STATUS_SIZE, 3))
    call MPI_Waitsome(3, reqs, outcount, indices, statuses, ierr)
    call check(outcount == 1 .and. indices(1) == 1 .and. statuses(MPI_TAG, 1) == 4 .and. in(1) == 44, &
        'MPI_Waitsome outcount and indices (1-based)')
    call MPI_Waitsome(3, reqs, outcount, indices, statuses, ierr)
    call check(outcount == MPI_UNDEFINED, 'MPI_Waitsome of null requests is not MPI_UNDEFINED')
    deallocate(indices, statuses)
  else if (rank == 1) then
    call MPI_Send(33, 1, MPI_INTEGER, 0, 3, MPI_COMM_WORLD, ierr)
    call MPI_Recv(x, 0, MPI_INTEGER, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE, ierr)
    call MPI_Send(22, 1, MPI_INTEGER, 0, 2, MPI_COMM_WORLD, ierr)
    call MPI_Send(55, 1, MPI_INTEGER, 0, 5, MPI_COMM_WORLD, ierr)
    call MPI_Recv(x, 0, MPI_INTEGER, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE, ierr)
    call MPI_Send(44, 1, MPI_INTEGER, 0, 4, MPI_COMM_WORLD, ierr)
  end if
  deallocate(reqs, in)

  ! Testall's LOGICAL flag, and Sendrecv around the ring.
  allocate(reqs(2), statuses(MPI_STATUS_SIZE, 2))
  call MPI_Irecv(x, 1, MPI_INTEGER, prev, 20, MPI_COMM_WORLD, reqs(1), ierr)
  call MPI_Isend(rank, 1, MPI_INTEGER, next, 20, MPI_COMM_WORLD, reqs(2), ierr)
  flag = .false.
  do while (.not. flag)
    call MPI_Testall(2, reqs, flag, statuses, ierr)
  end do
  call check(x == prev .and. statuses(MPI_SOURCE, 1) == prev, 'MPI_Testall')
  deallocate(reqs, statuses)
  call MPI_Sendrecv(rank, 1, MPI_INTEGER, next, 21, x, 1, MPI_INTEGER, prev, 21, MPI_COMM_WORLD, status, ierr)
  call check(x == prev .and. status(MPI_SOURCE) == prev .and. status(MPI_TAG) == 21, 'MPI_Sendrecv')

  ! MPI_PROC_NULL: at once, source MPI_PROC_NULL, no data.
  x = 42
  call MPI_Send(x, 1, MPI_INTEGER, MPI_PROC_NULL, 0, MPI_COMM_WORLD, ierr)
  call MPI_Recv(x, 1, MPI_INTEGER, MPI_PROC_NULL, 0, MPI_COMM_WORLD, status, ierr)
  call MPI_Get_count(status, MPI_INTEGER, count, ierr)
  call check(ierr == MPI_SUCCESS .and. status(MPI_SOURCE) == MPI_PROC_NULL .and. count == 0 .and. x == 42, 'MPI_PROC_NULL')

  ! MPI_ERRORS_RETURN: a bad destination is MPI_ERR_RANK; its text through the hidden length.
  call MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN, ierr)
  call MPI_Send(x, 1, MPI_INTEGER, size + 5, 0, MPI_COMM_WORLD, ierr)
  call check(ierr /= MPI_SUCCESS, 'MPI_Send to a bad rank succeeded')
  call MPI_Error_class(ierr, cls, i)
  call check(cls == MPI_ERR_RANK, 'MPI_Send to a bad rank is not MPI_ERR_RANK')
  text = repeat('x', len(text))
  call MPI_Error_string(ierr, text, length, i)
  call check(i == MPI_SUCCESS .and. length > 12 .and. text(1:12) == 'MPI_ERR_RANK', 'MPI_Error_string text')
  call check(len_trim(text) == length .and. text(length + 1:) == ' ', 'MPI_Error_string is not blank-padded after resultlen')
  short = 'xxxxxxxx'
  call MPI_Error_string(MPI_ERR_TRUNCATE, short, length, i)
  call check(length == 8 .and. short == 'MPI_ERR_', 'MPI_Error_string into a CHARACTER*8')
  call MPI_Send(x, -1, MPI_INTEGER, 0, 0, MPI_COMM_WORLD, ierr)
  call MPI_Error_class(ierr, cls, i)
  call check(cls == MPI_ERR_COUNT, 'count -1 is not MPI_ERR_COUNT')
  call MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL, ierr)

  ! Get_processor_name: the host name, blank-padded.
  name = repeat('x', len(name))
  call MPI_Get_processor_name(name, length, ierr)
  call check(ierr == MPI_SUCCESS .and. length > 0 .and. len_trim(name) == length .and. name(length + 1:) == ' ', &
      'MPI_Get_processor_name resultlen and blank padding')
  call hostnm(host)
  call check(host(1:length) == name(1:length), 'MPI_Get_processor_name is not the host name')

  ! The clock.
  t1 = MPI_Wtime()
  do
    t2 = MPI_Wtime()
    if (t2 > t1 + 1d-3) exit
  end do
  call check(t2 > t1 .and. MPI_Wtick() > 0 .and. MPI_Wtick() < 1d-3, 'MPI_Wtime / MPI_Wtick')
  call MPI_Get_version(i, k, ierr)
  call check(i == MPI_VERSION .and. k == MPI_SUBVERSION, 'MPI_Get_version')

  call MPI_Barrier(MPI_COMM_WORLD, ierr)
  if (rank == 0) print '(a, i0, a)', 'fortran p2p ok on ', size, ' ranks'
  call MPI_Finalize(ierr)
  call MPI_Finalized(flag, ierr)
  call check(flag, 'MPI_Finalized after MPI_Finalize is .false.')

contains

  subroutine check(ok, what)
    logical, intent(in) :: ok
    character(len=*), intent(in) :: what
    if (ok) return
    write (0, '(a, i0, 2a)') 'rank ', rank, ': check failed: ', what
    call exit(1)
  end subroutine check

end program fortran_p2p
