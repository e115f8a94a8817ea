! mpif.h of Cosched's MPI library, for Fortran programs (gfortran):
! include 'mpif.h' from fixed-form (.f) or free-form (.f90) code,
! or use mpi (the module includes this file). The numbers are those
! of mpi.h (src/Cosched.Mpi/Abi/Constants.cs); handles are integers.
! It reads the same in both source forms: statements from column 7,
! no continuation lines, comments only as '!' in column 1.
!
! version
      integer MPI_VERSION
      parameter (MPI_VERSION=3)
      integer MPI_SUBVERSION
      parameter (MPI_SUBVERSION=1)
!
! a status is MPI_STATUS_SIZE integers: C's MPI_Status (24 bytes)
      integer MPI_STATUS_SIZE
      parameter (MPI_STATUS_SIZE=6)
      integer MPI_SOURCE
      parameter (MPI_SOURCE=1)
      integer MPI_TAG
      parameter (MPI_TAG=2)
      integer MPI_ERROR
      parameter (MPI_ERROR=3)
!
! kinds
      integer MPI_ADDRESS_KIND
      parameter (MPI_ADDRESS_KIND=8)
      integer MPI_OFFSET_KIND
      parameter (MPI_OFFSET_KIND=8)
      integer MPI_COUNT_KIND
      parameter (MPI_COUNT_KIND=8)
      integer MPI_INTEGER_KIND
      parameter (MPI_INTEGER_KIND=4)
!
! communicators, groups, requests, handlers
      integer MPI_COMM_NULL
      parameter (MPI_COMM_NULL=0)
      integer MPI_COMM_WORLD
      parameter (MPI_COMM_WORLD=1)
      integer MPI_COMM_SELF
      parameter (MPI_COMM_SELF=2)
      integer MPI_GROUP_NULL
      parameter (MPI_GROUP_NULL=0)
      integer MPI_GROUP_EMPTY
      parameter (MPI_GROUP_EMPTY=1)
      integer MPI_REQUEST_NULL
      parameter (MPI_REQUEST_NULL=0)
      integer MPI_ERRHANDLER_NULL
      parameter (MPI_ERRHANDLER_NULL=0)
      integer MPI_ERRORS_ARE_FATAL
      parameter (MPI_ERRORS_ARE_FATAL=1)
      integer MPI_ERRORS_RETURN
      parameter (MPI_ERRORS_RETURN=2)
      integer MPI_INFO_NULL
      parameter (MPI_INFO_NULL=0)
      integer MPI_WIN_NULL
      parameter (MPI_WIN_NULL=0)
      integer MPI_FILE_NULL
      parameter (MPI_FILE_NULL=0)
!
! Fortran's datatypes
      integer MPI_INTEGER
      parameter (MPI_INTEGER=40)
      integer MPI_REAL
      parameter (MPI_REAL=41)
      integer MPI_DOUBLE_PRECISION
      parameter (MPI_DOUBLE_PRECISION=42)
      integer MPI_COMPLEX
      parameter (MPI_COMPLEX=43)
      integer MPI_DOUBLE_COMPLEX
      parameter (MPI_DOUBLE_COMPLEX=44)
      integer MPI_LOGICAL
      parameter (MPI_LOGICAL=45)
      integer MPI_CHARACTER
      parameter (MPI_CHARACTER=46)
      integer MPI_2INTEGER
      parameter (MPI_2INTEGER=47)
      integer MPI_2DOUBLE_PRECISION
      parameter (MPI_2DOUBLE_PRECISION=48)
      integer MPI_2REAL
      parameter (MPI_2REAL=49)
      integer MPI_INTEGER8
      parameter (MPI_INTEGER8=50)
      integer MPI_REAL8
      parameter (MPI_REAL8=51)
      integer MPI_INTEGER4
      parameter (MPI_INTEGER4=52)
      integer MPI_REAL4
      parameter (MPI_REAL4=53)
!
! C's datatypes
      integer MPI_DATATYPE_NULL
      parameter (MPI_DATATYPE_NULL=0)
      integer MPI_CHAR
      parameter (MPI_CHAR=1)
      integer MPI_SIGNED_CHAR
      parameter (MPI_SIGNED_CHAR=2)
      integer MPI_UNSIGNED_CHAR
      parameter (MPI_UNSIGNED_CHAR=3)
      integer MPI_BYTE
      parameter (MPI_BYTE=4)
      integer MPI_SHORT
      parameter (MPI_SHORT=5)
      integer MPI_UNSIGNED_SHORT
      parameter (MPI_UNSIGNED_SHORT=6)
      integer MPI_INT
      parameter (MPI_INT=7)
      integer MPI_UNSIGNED
      parameter (MPI_UNSIGNED=8)
      integer MPI_LONG
      parameter (MPI_LONG=9)
      integer MPI_UNSIGNED_LONG
      parameter (MPI_UNSIGNED_LONG=10)
      integer MPI_LONG_LONG_INT
      parameter (MPI_LONG_LONG_INT=11)
      integer MPI_LONG_LONG
      parameter (MPI_LONG_LONG=11)
      integer MPI_UNSIGNED_LONG_LONG
      parameter (MPI_UNSIGNED_LONG_LONG=12)
      integer MPI_FLOAT
      parameter (MPI_FLOAT=13)
      integer MPI_DOUBLE
      parameter (MPI_DOUBLE=14)
      integer MPI_C_BOOL
      parameter (MPI_C_BOOL=15)
      integer MPI_INT8_T
      parameter (MPI_INT8_T=16)
      integer MPI_INT16_T
      parameter (MPI_INT16_T=17)
      integer MPI_INT32_T
      parameter (MPI_INT32_T=18)
      integer MPI_INT64_T
      parameter (MPI_INT64_T=19)
      integer MPI_UINT8_T
      parameter (MPI_UINT8_T=20)
      integer MPI_UINT16_T
      parameter (MPI_UINT16_T=21)
      integer MPI_UINT32_T
      parameter (MPI_UINT32_T=22)
      integer MPI_UINT64_T
      parameter (MPI_UINT64_T=23)
      integer MPI_AINT
      parameter (MPI_AINT=24)
      integer MPI_OFFSET
      parameter (MPI_OFFSET=25)
      integer MPI_COUNT
      parameter (MPI_COUNT=26)
      integer MPI_PACKED
      parameter (MPI_PACKED=27)
      integer MPI_FLOAT_INT
      parameter (MPI_FLOAT_INT=28)
      integer MPI_DOUBLE_INT
      parameter (MPI_DOUBLE_INT=29)
      integer MPI_LONG_INT
      parameter (MPI_LONG_INT=30)
      integer MPI_2INT
      parameter (MPI_2INT=31)
      integer MPI_SHORT_INT
      parameter (MPI_SHORT_INT=32)
      integer MPI_WCHAR
      parameter (MPI_WCHAR=33)
!
! operations
      integer MPI_OP_NULL
      parameter (MPI_OP_NULL=0)
      integer MPI_MAX
      parameter (MPI_MAX=1)
      integer MPI_MIN
      parameter (MPI_MIN=2)
      integer MPI_SUM
      parameter (MPI_SUM=3)
      integer MPI_PROD
      parameter (MPI_PROD=4)
      integer MPI_LAND
      parameter (MPI_LAND=5)
      integer MPI_BAND
      parameter (MPI_BAND=6)
      integer MPI_LOR
      parameter (MPI_LOR=7)
      integer MPI_BOR
      parameter (MPI_BOR=8)
      integer MPI_LXOR
      parameter (MPI_LXOR=9)
      integer MPI_BXOR
      parameter (MPI_BXOR=10)
      integer MPI_MINLOC
      parameter (MPI_MINLOC=11)
      integer MPI_MAXLOC
      parameter (MPI_MAXLOC=12)
      integer MPI_REPLACE
      parameter (MPI_REPLACE=13)
      integer MPI_NO_OP
      parameter (MPI_NO_OP=14)
!
! special values
      integer MPI_ANY_SOURCE
      parameter (MPI_ANY_SOURCE=-1)
      integer MPI_ANY_TAG
      parameter (MPI_ANY_TAG=-1)
      integer MPI_PROC_NULL
      parameter (MPI_PROC_NULL=-2)
      integer MPI_ROOT
      parameter (MPI_ROOT=-3)
      integer MPI_UNDEFINED
      parameter (MPI_UNDEFINED=-32766)
      integer MPI_TAG_UB_VALUE
      parameter (MPI_TAG_UB_VALUE=2147483647)
      integer MPI_KEYVAL_INVALID
      parameter (MPI_KEYVAL_INVALID=-1)
      integer MPI_TAG_UB
      parameter (MPI_TAG_UB=1)
      integer MPI_HOST
      parameter (MPI_HOST=2)
      integer MPI_IO
      parameter (MPI_IO=3)
      integer MPI_WTIME_IS_GLOBAL
      parameter (MPI_WTIME_IS_GLOBAL=4)
      integer MPI_UNIVERSE_SIZE
      parameter (MPI_UNIVERSE_SIZE=5)
      integer MPI_APPNUM
      parameter (MPI_APPNUM=6)
      integer MPI_IDENT
      parameter (MPI_IDENT=0)
      integer MPI_CONGRUENT
      parameter (MPI_CONGRUENT=1)
      integer MPI_SIMILAR
      parameter (MPI_SIMILAR=2)
      integer MPI_UNEQUAL
      parameter (MPI_UNEQUAL=3)
      integer MPI_MAX_PROCESSOR_NAME
      parameter (MPI_MAX_PROCESSOR_NAME=256)
      integer MPI_MAX_ERROR_STRING
      parameter (MPI_MAX_ERROR_STRING=512)
      integer MPI_MAX_LIBRARY_VERSION_STRING
      parameter (MPI_MAX_LIBRARY_VERSION_STRING=256)
      integer MPI_THREAD_SINGLE
      parameter (MPI_THREAD_SINGLE=0)
      integer MPI_THREAD_FUNNELED
      parameter (MPI_THREAD_FUNNELED=1)
      integer MPI_THREAD_SERIALIZED
      parameter (MPI_THREAD_SERIALIZED=2)
      integer MPI_THREAD_MULTIPLE
      parameter (MPI_THREAD_MULTIPLE=3)
!
! error classes (and codes)
      integer MPI_SUCCESS
      parameter (MPI_SUCCESS=0)
      integer MPI_ERR_BUFFER
      parameter (MPI_ERR_BUFFER=1)
      integer MPI_ERR_COUNT
      parameter (MPI_ERR_COUNT=2)
      integer MPI_ERR_TYPE
      parameter (MPI_ERR_TYPE=3)
      integer MPI_ERR_TAG
      parameter (MPI_ERR_TAG=4)
      integer MPI_ERR_COMM
      parameter (MPI_ERR_COMM=5)
      integer MPI_ERR_RANK
      parameter (MPI_ERR_RANK=6)
      integer MPI_ERR_REQUEST
      parameter (MPI_ERR_REQUEST=7)
      integer MPI_ERR_ROOT
      parameter (MPI_ERR_ROOT=8)
      integer MPI_ERR_GROUP
      parameter (MPI_ERR_GROUP=9)
      integer MPI_ERR_OP
      parameter (MPI_ERR_OP=10)
      integer MPI_ERR_TOPOLOGY
      parameter (MPI_ERR_TOPOLOGY=11)
      integer MPI_ERR_DIMS
      parameter (MPI_ERR_DIMS=12)
      integer MPI_ERR_ARG
      parameter (MPI_ERR_ARG=13)
      integer MPI_ERR_UNKNOWN
      parameter (MPI_ERR_UNKNOWN=14)
      integer MPI_ERR_TRUNCATE
      parameter (MPI_ERR_TRUNCATE=15)
      integer MPI_ERR_OTHER
      parameter (MPI_ERR_OTHER=16)
      integer MPI_ERR_INTERN
      parameter (MPI_ERR_INTERN=17)
      integer MPI_ERR_IN_STATUS
      parameter (MPI_ERR_IN_STATUS=18)
      integer MPI_ERR_PENDING
      parameter (MPI_ERR_PENDING=19)
      integer MPI_ERR_UNSUPPORTED_OPERATION
      parameter (MPI_ERR_UNSUPPORTED_OPERATION=52)
      integer MPI_ERR_LASTCODE
      parameter (MPI_ERR_LASTCODE=100)
!
! MPI_BOTTOM, MPI_IN_PLACE and the ignore arguments: variables in
! common blocks that libmpifort.so defines; the C layer knows their
! addresses and passes mpi.h's values on in their place
      integer MPI_BOTTOM
      common /cosched_mpi_fortran_bottom/ MPI_BOTTOM
      integer MPI_IN_PLACE
      common /cosched_mpi_fortran_in_place/ MPI_IN_PLACE
      integer MPI_STATUS_IGNORE(MPI_STATUS_SIZE)
      common /cosched_mpi_fortran_status_ignore/ MPI_STATUS_IGNORE
      integer MPI_STATUSES_IGNORE(MPI_STATUS_SIZE,1)
      common /cosched_mpi_fortran_statuses_ignore/ MPI_STATUSES_IGNORE
      integer MPI_ERRCODES_IGNORE(1)
      common /cosched_mpi_fortran_errcodes_ignore/ MPI_ERRCODES_IGNORE
      character*1 MPI_ARGV_NULL(1)
      common /cosched_mpi_fortran_argv_null/ MPI_ARGV_NULL
!
! the clock
      double precision MPI_WTIME, MPI_WTICK
      external MPI_WTIME, MPI_WTICK
