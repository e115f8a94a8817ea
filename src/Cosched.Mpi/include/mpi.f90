! The `mpi` module of Cosched's MPI library (gfortran): mpif.h's constants and, for the routines
! that take choice buffers (data of any type and rank), explicit interfaces whose buffers are
! exempt from type, kind and rank checks (gfortran's NO_ARG_CHECK), so that one file may send
! integers and doubles through the same routine without -fallow-argument-mismatch, and a call
! that leaves out an argument (ierror is not optional) does not compile. The other routines are
! called through implicit interfaces, as with include 'mpif.h'. mpi-tools.sh compiles this file
! into .build/mpi/include/mpi.mod; libmpifort.so holds the routines.
module mpi
  implicit none
  include 'mpif.h'

  interface
    subroutine mpi_send(buf, count, datatype, dest, tag, comm, ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: buf
      type(*), dimension(*) :: buf
      integer, intent(in) :: count, datatype, dest, tag, comm
      integer, intent(out) :: ierror
    end subroutine mpi_send

    subroutine mpi_ssend(buf, count, datatype, dest, tag, comm, ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: buf
      type(*), dimension(*) :: buf
      integer, intent(in) :: count, datatype, dest, tag, comm
      integer, intent(out) :: ierror
    end subroutine mpi_ssend

    subroutine mpi_rsend(buf, count, datatype, dest, tag, comm, ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: buf
      type(*), dimension(*) :: buf
      integer, intent(in) :: count, datatype, dest, tag, comm
      integer, intent(out) :: ierror
    end subroutine mpi_rsend

    subroutine mpi_bsend(buf, count, datatype, dest, tag, comm, ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: buf
      type(*), dimension(*) :: buf
      integer, intent(in) :: count, datatype, dest, tag, comm
      integer, intent(out) :: ierror
    end subroutine mpi_bsend

    subroutine mpi_recv(buf, count, datatype, source, tag, comm, status, ierror)
      import :: MPI_STATUS_SIZE
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: buf
      type(*), dimension(*) :: buf
      integer, intent(in) :: count, datatype, source, tag, comm
      integer, intent(out) :: status(MPI_STATUS_SIZE)
      integer, intent(out) :: ierror
    end subroutine mpi_recv

    subroutine mpi_sendrecv(sendbuf, sendcount, sendtype, dest, sendtag, recvbuf, recvcount, &
        recvtype, source, recvtag, comm, status, ierror)
      import :: MPI_STATUS_SIZE
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: sendbuf, recvbuf
      type(*), dimension(*) :: sendbuf, recvbuf
      integer, intent(in) :: sendcount, sendtype, dest, sendtag, recvcount, recvtype, source, recvtag, comm
      integer, intent(out) :: status(MPI_STATUS_SIZE)
      integer, intent(out) :: ierror
    end subroutine mpi_sendrecv

    subroutine mpi_sendrecv_replace(buf, count, datatype, dest, sendtag, source, recvtag, comm, &
        status, ierror)
      import :: MPI_STATUS_SIZE
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: buf
      type(*), dimension(*) :: buf
      integer, intent(in) :: count, datatype, dest, sendtag, source, recvtag, comm
      integer, intent(out) :: status(MPI_STATUS_SIZE)
      integer, intent(out) :: ierror
    end subroutine mpi_sendrecv_replace

    subroutine mpi_isend(buf, count, datatype, dest, tag, comm, request, ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: buf
      type(*), dimension(*) :: buf
      integer, intent(in) :: count, datatype, dest, tag, comm
      integer, intent(out) :: request, ierror
    end subroutine mpi_isend

    subroutine mpi_issend(buf, count, datatype, dest, tag, comm, request, ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: buf
      type(*), dimension(*) :: buf
      integer, intent(in) :: count, datatype, dest, tag, comm
      integer, intent(out) :: request, ierror
    end subroutine mpi_issend

    subroutine mpi_irsend(buf, count, datatype, dest, tag, comm, request, ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: buf
      type(*), dimension(*) :: buf
      integer, intent(in) :: count, datatype, dest, tag, comm
      integer, intent(out) :: request, ierror
    end subroutine mpi_irsend

    subroutine mpi_irecv(buf, count, datatype, source, tag, comm, request, ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: buf
      type(*), dimension(*) :: buf
      integer, intent(in) :: count, datatype, source, tag, comm
      integer, intent(out) :: request, ierror
    end subroutine mpi_irecv

    subroutine mpi_bcast(buffer, count, datatype, root, comm, ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: buffer
      type(*), dimension(*) :: buffer
      integer, intent(in) :: count, datatype, root, comm
      integer, intent(out) :: ierror
    end subroutine mpi_bcast

    subroutine mpi_reduce(sendbuf, recvbuf, count, datatype, op, root, comm, ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: sendbuf, recvbuf
      type(*), dimension(*) :: sendbuf, recvbuf
      integer, intent(in) :: count, datatype, op, root, comm
      integer, intent(out) :: ierror
    end subroutine mpi_reduce

    subroutine mpi_allreduce(sendbuf, recvbuf, count, datatype, op, comm, ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: sendbuf, recvbuf
      type(*), dimension(*) :: sendbuf, recvbuf
      integer, intent(in) :: count, datatype, op, comm
      integer, intent(out) :: ierror
    end subroutine mpi_allreduce

    subroutine mpi_reduce_local(inbuf, inoutbuf, count, datatype, op, ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: inbuf, inoutbuf
      type(*), dimension(*) :: inbuf, inoutbuf
      integer, intent(in) :: count, datatype, op
      integer, intent(out) :: ierror
    end subroutine mpi_reduce_local

    subroutine mpi_reduce_scatter(sendbuf, recvbuf, recvcounts, datatype, op, comm, ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: sendbuf, recvbuf, recvcounts
      type(*), dimension(*) :: sendbuf, recvbuf
      integer, dimension(*), intent(in) :: recvcounts
      integer, intent(in) :: datatype, op, comm
      integer, intent(out) :: ierror
    end subroutine mpi_reduce_scatter

    subroutine mpi_reduce_scatter_block(sendbuf, recvbuf, recvcount, datatype, op, comm, ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: sendbuf, recvbuf
      type(*), dimension(*) :: sendbuf, recvbuf
      integer, intent(in) :: recvcount, datatype, op, comm
      integer, intent(out) :: ierror
    end subroutine mpi_reduce_scatter_block

    subroutine mpi_scan(sendbuf, recvbuf, count, datatype, op, comm, ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: sendbuf, recvbuf
      type(*), dimension(*) :: sendbuf, recvbuf
      integer, intent(in) :: count, datatype, op, comm
      integer, intent(out) :: ierror
    end subroutine mpi_scan

    subroutine mpi_exscan(sendbuf, recvbuf, count, datatype, op, comm, ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: sendbuf, recvbuf
      type(*), dimension(*) :: sendbuf, recvbuf
      integer, intent(in) :: count, datatype, op, comm
      integer, intent(out) :: ierror
    end subroutine mpi_exscan

    subroutine mpi_gather(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm, &
        ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: sendbuf, recvbuf
      type(*), dimension(*) :: sendbuf, recvbuf
      integer, intent(in) :: sendcount, sendtype, recvcount, recvtype, root, comm
      integer, intent(out) :: ierror
    end subroutine mpi_gather

    subroutine mpi_gatherv(sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, &
        root, comm, ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: sendbuf, recvbuf, recvcounts, displs
      type(*), dimension(*) :: sendbuf, recvbuf
      integer, dimension(*), intent(in) :: recvcounts, displs
      integer, intent(in) :: sendcount, sendtype, recvtype, root, comm
      integer, intent(out) :: ierror
    end subroutine mpi_gatherv

    subroutine mpi_scatter(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, &
        comm, ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: sendbuf, recvbuf
      type(*), dimension(*) :: sendbuf, recvbuf
      integer, intent(in) :: sendcount, sendtype, recvcount, recvtype, root, comm
      integer, intent(out) :: ierror
    end subroutine mpi_scatter

    subroutine mpi_scatterv(sendbuf, sendcounts, displs, sendtype, recvbuf, recvcount, recvtype, &
        root, comm, ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: sendbuf, sendcounts, displs, recvbuf
      type(*), dimension(*) :: sendbuf, recvbuf
      integer, dimension(*), intent(in) :: sendcounts, displs
      integer, intent(in) :: sendtype, recvcount, recvtype, root, comm
      integer, intent(out) :: ierror
    end subroutine mpi_scatterv

    subroutine mpi_allgather(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm, &
        ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: sendbuf, recvbuf
      type(*), dimension(*) :: sendbuf, recvbuf
      integer, intent(in) :: sendcount, sendtype, recvcount, recvtype, comm
      integer, intent(out) :: ierror
    end subroutine mpi_allgather

    subroutine mpi_allgatherv(sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, &
        recvtype, comm, ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: sendbuf, recvbuf, recvcounts, displs
      type(*), dimension(*) :: sendbuf, recvbuf
      integer, dimension(*), intent(in) :: recvcounts, displs
      integer, intent(in) :: sendcount, sendtype, recvtype, comm
      integer, intent(out) :: ierror
    end subroutine mpi_allgatherv

    subroutine mpi_alltoall(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm, &
        ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: sendbuf, recvbuf
      type(*), dimension(*) :: sendbuf, recvbuf
      integer, intent(in) :: sendcount, sendtype, recvcount, recvtype, comm
      integer, intent(out) :: ierror
    end subroutine mpi_alltoall

    subroutine mpi_alltoallv(sendbuf, sendcounts, sdispls, sendtype, recvbuf, recvcounts, &
        rdispls, recvtype, comm, ierror)
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: sendbuf, sendcounts, sdispls, recvbuf, recvcounts, rdispls
      type(*), dimension(*) :: sendbuf, recvbuf
      integer, dimension(*), intent(in) :: sendcounts, sdispls, recvcounts, rdispls
      integer, intent(in) :: sendtype, recvtype, comm
      integer, intent(out) :: ierror
    end subroutine mpi_alltoallv

    subroutine mpi_win_create(base, size, disp_unit, info, comm, win, ierror)
      import :: MPI_ADDRESS_KIND
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: base
      type(*), dimension(*) :: base
      integer, intent(in) :: disp_unit, info, comm
      integer(kind=MPI_ADDRESS_KIND), intent(in) :: size
      integer, intent(out) :: win, ierror
    end subroutine mpi_win_create

    subroutine mpi_put(origin_addr, origin_count, origin_datatype, target_rank, target_disp, &
        target_count, target_datatype, win, ierror)
      import :: MPI_ADDRESS_KIND
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: origin_addr
      type(*), dimension(*) :: origin_addr
      integer, intent(in) :: origin_count, origin_datatype, target_rank, target_count, target_datatype, win
      integer(kind=MPI_ADDRESS_KIND), intent(in) :: target_disp
      integer, intent(out) :: ierror
    end subroutine mpi_put

    subroutine mpi_get(origin_addr, origin_count, origin_datatype, target_rank, target_disp, &
        target_count, target_datatype, win, ierror)
      import :: MPI_ADDRESS_KIND
      !GCC$ ATTRIBUTES NO_ARG_CHECK :: origin_addr
      type(*), dimension(*) :: origin_addr
      integer, intent(in) :: origin_count, origin_datatype, target_rank, target_count, target_datatype, win
      integer(kind=MPI_ADDRESS_KIND), intent(in) :: target_disp
      integer, intent(out) :: ierror
    end subroutine mpi_get
  end interface
end module mpi
