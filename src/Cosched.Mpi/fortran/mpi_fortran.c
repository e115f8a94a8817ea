/* libmpifort.so: gfortran's bindings of Cosched's MPI library, a thin layer over libmpi.so's C API
 * (as MPICH does it). Every routine of mpi.h has its Fortran entry mpi_xxx_ (lower case, one
 * trailing underscore), every argument by reference and a trailing MPI_Fint *ierr. Handles are the
 * same integers in C and Fortran, and a Fortran status, INTEGER status(MPI_STATUS_SIZE = 6), is C's
 * MPI_Status (24 bytes), so both pass straight through. What this layer translates:
 *  - MPI_BOTTOM, MPI_IN_PLACE, MPI_STATUS(ES)_IGNORE, MPI_ERRCODES_IGNORE and MPI_ARGV_NULL are, in
 *    Fortran, variables in common blocks (mpif.h) defined here: their addresses become mpi.h's values;
 *  - LOGICAL arguments (gfortran: 4 bytes, .true. = 1);
 *  - the indices of Waitany, Testany and Waitsome, 1-based in Fortran (MPI_UNDEFINED stays);
 *  - CHARACTER arguments, whose lengths gfortran passes as hidden size_t arguments after all others:
 *    strings out are blank-padded (no NUL), strings in lose their trailing blanks;
 *  - MPI_Type_extent's extent, a default INTEGER in Fortran (MPI-1), an MPI_Aint in C.
 * And it writes gfortran's buffered units out when a rank ends early (see on_init).
 * A Fortran user function for MPI_Op_create has C's shape already (everything by reference). */
#include <stdlib.h>
#include <string.h>
#include <mpi.h>

typedef MPI_Fint F;
typedef int F_logical; /* gfortran's default LOGICAL */

/* ---- the special variables of mpif.h's common blocks (gfortran: the block's name plus one '_') ---- */

#define COMMON __attribute__((visibility("default"), aligned(16)))
COMMON F cosched_mpi_fortran_bottom_;
COMMON F cosched_mpi_fortran_in_place_;
COMMON F cosched_mpi_fortran_status_ignore_[6];
COMMON F cosched_mpi_fortran_statuses_ignore_[6];
COMMON F cosched_mpi_fortran_errcodes_ignore_[1];
COMMON char cosched_mpi_fortran_argv_null_[1];

/* A choice buffer: MPI_BOTTOM and MPI_IN_PLACE become C's. */
static void *B(void *buffer) {
    if (buffer == (void *)&cosched_mpi_fortran_in_place_) return MPI_IN_PLACE;
    if (buffer == (void *)&cosched_mpi_fortran_bottom_) return MPI_BOTTOM;
    return buffer;
}

/* A status (or an array of them) out: MPI_STATUS_IGNORE and MPI_STATUSES_IGNORE become C's (either
 * is taken for the other). */
static MPI_Status *S(F *status) {
    if (status == cosched_mpi_fortran_status_ignore_ || status == cosched_mpi_fortran_statuses_ignore_) return MPI_STATUS_IGNORE;
    return (MPI_Status *)status;
}

static F_logical L(int flag) { return flag ? 1 : 0; }

/* A 0-based index from C, 1-based for Fortran. */
static F index_out(int index) { return index == MPI_UNDEFINED || index < 0 ? index : index + 1; }

/* A C string into a Fortran CHARACTER of `capacity`: at most `capacity` bytes, blank-padded; the length. */
static F string_out(const char *text, int length, char *to, size_t capacity) {
    size_t n = length < 0 ? 0 : (size_t)length;
    if (n > capacity) n = capacity;
    memcpy(to, text, n);
    memset(to + n, ' ', capacity - n);
    return (F)n;
}

/* A Fortran CHARACTER in: a NUL-terminated copy without the trailing blanks (free() it). */
static char *string_in(const char *text, size_t length) {
    while (length > 0 && text[length - 1] == ' ') length--;
    char *copy = malloc(length + 1);
    if (copy == NULL) return NULL;
    memcpy(copy, text, length);
    copy[length] = 0;
    return copy;
}

/* ---- environment ---- */

/* libgfortran buffers its units (when they are not terminals) and writes them out at exit, in a
 * destructor. When a rank ends early (MPI_Abort, a fatal error, or the end of the program without
 * MPI_Finalize), libmpi.so ends the process with quick_exit, which runs no destructors but runs
 * the at_quick_exit handlers: this one writes the units out, so that the program's last lines (the
 * reason it failed) are not lost. A weak reference: libgfortran is the program's, not ours. */
extern void _gfortran_flush_i4(int *unit) __attribute__((weak));

static void flush_fortran_units(void) {
    if (_gfortran_flush_i4 != NULL) _gfortran_flush_i4(NULL); /* no unit: all of them */
}

static void on_init(F ierr) {
    static int registered;
    if (ierr == MPI_SUCCESS && !registered) registered = at_quick_exit(flush_fortran_units) == 0;
}

void mpi_init_(F *ierr) {
    *ierr = MPI_Init(NULL, NULL);
    on_init(*ierr);
}

void mpi_init_thread_(F *required, F *provided, F *ierr) {
    *ierr = MPI_Init_thread(NULL, NULL, *required, provided);
    on_init(*ierr);
}

void mpi_query_thread_(F *provided, F *ierr) { *ierr = MPI_Query_thread(provided); }
void mpi_finalize_(F *ierr) { *ierr = MPI_Finalize(); }
void mpi_abort_(F *comm, F *errorcode, F *ierr) { *ierr = MPI_Abort(*comm, *errorcode); }
double mpi_wtime_(void) { return MPI_Wtime(); }
double mpi_wtick_(void) { return MPI_Wtick(); }

void mpi_is_thread_main_(F_logical *flag, F *ierr) {
    int f = 0;
    *ierr = MPI_Is_thread_main(&f);
    *flag = L(f);
}

void mpi_initialized_(F_logical *flag, F *ierr) {
    int f = 0;
    *ierr = MPI_Initialized(&f);
    *flag = L(f);
}

void mpi_finalized_(F_logical *flag, F *ierr) {
    int f = 0;
    *ierr = MPI_Finalized(&f);
    *flag = L(f);
}

void mpi_get_processor_name_(char *name, F *resultlen, F *ierr, size_t name_len) {
    char text[MPI_MAX_PROCESSOR_NAME];
    int n = 0;
    *ierr = MPI_Get_processor_name(text, &n);
    *resultlen = string_out(text, n, name, name_len);
}

void mpi_get_version_(F *version, F *subversion, F *ierr) { *ierr = MPI_Get_version(version, subversion); }

void mpi_get_library_version_(char *version, F *resultlen, F *ierr, size_t version_len) {
    char text[MPI_MAX_LIBRARY_VERSION_STRING];
    int n = 0;
    *ierr = MPI_Get_library_version(text, &n);
    *resultlen = string_out(text, n, version, version_len);
}

/* ---- errors ---- */

void mpi_error_string_(F *errorcode, char *string, F *resultlen, F *ierr, size_t string_len) {
    char text[MPI_MAX_ERROR_STRING];
    int n = 0;
    *ierr = MPI_Error_string(*errorcode, text, &n);
    *resultlen = string_out(text, n, string, string_len);
}

void mpi_error_class_(F *errorcode, F *errorclass, F *ierr) { *ierr = MPI_Error_class(*errorcode, errorclass); }
void mpi_comm_set_errhandler_(F *comm, F *errhandler, F *ierr) { *ierr = MPI_Comm_set_errhandler(*comm, *errhandler); }
void mpi_comm_get_errhandler_(F *comm, F *errhandler, F *ierr) { *ierr = MPI_Comm_get_errhandler(*comm, errhandler); }
void mpi_errhandler_set_(F *comm, F *errhandler, F *ierr) { *ierr = MPI_Errhandler_set(*comm, *errhandler); }
void mpi_errhandler_free_(F *errhandler, F *ierr) { *ierr = MPI_Errhandler_free(errhandler); }

/* ---- communicators ---- */

void mpi_comm_size_(F *comm, F *size, F *ierr) { *ierr = MPI_Comm_size(*comm, size); }
void mpi_comm_rank_(F *comm, F *rank, F *ierr) { *ierr = MPI_Comm_rank(*comm, rank); }
void mpi_comm_dup_(F *comm, F *newcomm, F *ierr) { *ierr = MPI_Comm_dup(*comm, newcomm); }
void mpi_comm_split_(F *comm, F *color, F *key, F *newcomm, F *ierr) { *ierr = MPI_Comm_split(*comm, *color, *key, newcomm); }
void mpi_comm_free_(F *comm, F *ierr) { *ierr = MPI_Comm_free(comm); }
void mpi_comm_compare_(F *comm1, F *comm2, F *result, F *ierr) { *ierr = MPI_Comm_compare(*comm1, *comm2, result); }

void mpi_comm_test_inter_(F *comm, F_logical *flag, F *ierr) {
    int f = 0;
    *ierr = MPI_Comm_test_inter(*comm, &f);
    *flag = L(f);
}

/* ---- point-to-point ---- */

void mpi_send_(void *buf, F *count, F *datatype, F *dest, F *tag, F *comm, F *ierr) {
    *ierr = MPI_Send(B(buf), *count, *datatype, *dest, *tag, *comm);
}

void mpi_ssend_(void *buf, F *count, F *datatype, F *dest, F *tag, F *comm, F *ierr) {
    *ierr = MPI_Ssend(B(buf), *count, *datatype, *dest, *tag, *comm);
}

void mpi_rsend_(void *buf, F *count, F *datatype, F *dest, F *tag, F *comm, F *ierr) {
    *ierr = MPI_Rsend(B(buf), *count, *datatype, *dest, *tag, *comm);
}

void mpi_bsend_(void *buf, F *count, F *datatype, F *dest, F *tag, F *comm, F *ierr) {
    *ierr = MPI_Bsend(B(buf), *count, *datatype, *dest, *tag, *comm);
}

void mpi_recv_(void *buf, F *count, F *datatype, F *source, F *tag, F *comm, F *status, F *ierr) {
    *ierr = MPI_Recv(B(buf), *count, *datatype, *source, *tag, *comm, S(status));
}

void mpi_sendrecv_(void *sendbuf, F *sendcount, F *sendtype, F *dest, F *sendtag, void *recvbuf, F *recvcount, F *recvtype,
                   F *source, F *recvtag, F *comm, F *status, F *ierr) {
    *ierr = MPI_Sendrecv(B(sendbuf), *sendcount, *sendtype, *dest, *sendtag, B(recvbuf), *recvcount, *recvtype, *source, *recvtag,
                         *comm, S(status));
}

void mpi_sendrecv_replace_(void *buf, F *count, F *datatype, F *dest, F *sendtag, F *source, F *recvtag, F *comm, F *status, F *ierr) {
    *ierr = MPI_Sendrecv_replace(B(buf), *count, *datatype, *dest, *sendtag, *source, *recvtag, *comm, S(status));
}

void mpi_isend_(void *buf, F *count, F *datatype, F *dest, F *tag, F *comm, F *request, F *ierr) {
    *ierr = MPI_Isend(B(buf), *count, *datatype, *dest, *tag, *comm, request);
}

void mpi_issend_(void *buf, F *count, F *datatype, F *dest, F *tag, F *comm, F *request, F *ierr) {
    *ierr = MPI_Issend(B(buf), *count, *datatype, *dest, *tag, *comm, request);
}

void mpi_irsend_(void *buf, F *count, F *datatype, F *dest, F *tag, F *comm, F *request, F *ierr) {
    *ierr = MPI_Irsend(B(buf), *count, *datatype, *dest, *tag, *comm, request);
}

void mpi_irecv_(void *buf, F *count, F *datatype, F *source, F *tag, F *comm, F *request, F *ierr) {
    *ierr = MPI_Irecv(B(buf), *count, *datatype, *source, *tag, *comm, request);
}

void mpi_probe_(F *source, F *tag, F *comm, F *status, F *ierr) { *ierr = MPI_Probe(*source, *tag, *comm, S(status)); }

void mpi_iprobe_(F *source, F *tag, F *comm, F_logical *flag, F *status, F *ierr) {
    int f = 0;
    *ierr = MPI_Iprobe(*source, *tag, *comm, &f, S(status));
    *flag = L(f);
}

void mpi_get_count_(F *status, F *datatype, F *count, F *ierr) { *ierr = MPI_Get_count((MPI_Status *)status, *datatype, count); }
void mpi_get_elements_(F *status, F *datatype, F *count, F *ierr) { *ierr = MPI_Get_elements((MPI_Status *)status, *datatype, count); }

/* ---- requests ---- */

void mpi_wait_(F *request, F *status, F *ierr) { *ierr = MPI_Wait(request, S(status)); }
void mpi_waitall_(F *count, F *requests, F *statuses, F *ierr) { *ierr = MPI_Waitall(*count, requests, S(statuses)); }

void mpi_waitany_(F *count, F *requests, F *index, F *status, F *ierr) {
    int i = MPI_UNDEFINED;
    *ierr = MPI_Waitany(*count, requests, &i, S(status));
    *index = index_out(i);
}

void mpi_waitsome_(F *incount, F *requests, F *outcount, F *indices, F *statuses, F *ierr) {
    int n = MPI_UNDEFINED;
    *ierr = MPI_Waitsome(*incount, requests, &n, indices, S(statuses));
    *outcount = n;
    for (int i = 0; i < n; i++) indices[i] = index_out(indices[i]);
}

void mpi_test_(F *request, F_logical *flag, F *status, F *ierr) {
    int f = 0;
    *ierr = MPI_Test(request, &f, S(status));
    *flag = L(f);
}

void mpi_testall_(F *count, F *requests, F_logical *flag, F *statuses, F *ierr) {
    int f = 0;
    *ierr = MPI_Testall(*count, requests, &f, S(statuses));
    *flag = L(f);
}

void mpi_testany_(F *count, F *requests, F *index, F_logical *flag, F *status, F *ierr) {
    int i = MPI_UNDEFINED, f = 0;
    *ierr = MPI_Testany(*count, requests, &i, &f, S(status));
    *index = index_out(i);
    *flag = L(f);
}

void mpi_request_free_(F *request, F *ierr) { *ierr = MPI_Request_free(request); }
void mpi_cancel_(F *request, F *ierr) { *ierr = MPI_Cancel(request); }

void mpi_test_cancelled_(F *status, F_logical *flag, F *ierr) {
    int f = 0;
    *ierr = MPI_Test_cancelled((MPI_Status *)status, &f);
    *flag = L(f);
}

/* ---- collectives ---- */

void mpi_barrier_(F *comm, F *ierr) { *ierr = MPI_Barrier(*comm); }

void mpi_bcast_(void *buffer, F *count, F *datatype, F *root, F *comm, F *ierr) {
    *ierr = MPI_Bcast(B(buffer), *count, *datatype, *root, *comm);
}

void mpi_reduce_(void *sendbuf, void *recvbuf, F *count, F *datatype, F *op, F *root, F *comm, F *ierr) {
    *ierr = MPI_Reduce(B(sendbuf), B(recvbuf), *count, *datatype, *op, *root, *comm);
}

void mpi_allreduce_(void *sendbuf, void *recvbuf, F *count, F *datatype, F *op, F *comm, F *ierr) {
    *ierr = MPI_Allreduce(B(sendbuf), B(recvbuf), *count, *datatype, *op, *comm);
}

void mpi_reduce_local_(void *inbuf, void *inoutbuf, F *count, F *datatype, F *op, F *ierr) {
    *ierr = MPI_Reduce_local(B(inbuf), B(inoutbuf), *count, *datatype, *op);
}

void mpi_reduce_scatter_(void *sendbuf, void *recvbuf, F *recvcounts, F *datatype, F *op, F *comm, F *ierr) {
    *ierr = MPI_Reduce_scatter(B(sendbuf), B(recvbuf), recvcounts, *datatype, *op, *comm);
}

void mpi_reduce_scatter_block_(void *sendbuf, void *recvbuf, F *recvcount, F *datatype, F *op, F *comm, F *ierr) {
    *ierr = MPI_Reduce_scatter_block(B(sendbuf), B(recvbuf), *recvcount, *datatype, *op, *comm);
}

void mpi_scan_(void *sendbuf, void *recvbuf, F *count, F *datatype, F *op, F *comm, F *ierr) {
    *ierr = MPI_Scan(B(sendbuf), B(recvbuf), *count, *datatype, *op, *comm);
}

void mpi_exscan_(void *sendbuf, void *recvbuf, F *count, F *datatype, F *op, F *comm, F *ierr) {
    *ierr = MPI_Exscan(B(sendbuf), B(recvbuf), *count, *datatype, *op, *comm);
}

void mpi_gather_(void *sendbuf, F *sendcount, F *sendtype, void *recvbuf, F *recvcount, F *recvtype, F *root, F *comm, F *ierr) {
    *ierr = MPI_Gather(B(sendbuf), *sendcount, *sendtype, B(recvbuf), *recvcount, *recvtype, *root, *comm);
}

void mpi_gatherv_(void *sendbuf, F *sendcount, F *sendtype, void *recvbuf, F *recvcounts, F *displs, F *recvtype, F *root, F *comm,
                  F *ierr) {
    *ierr = MPI_Gatherv(B(sendbuf), *sendcount, *sendtype, B(recvbuf), recvcounts, displs, *recvtype, *root, *comm);
}

void mpi_scatter_(void *sendbuf, F *sendcount, F *sendtype, void *recvbuf, F *recvcount, F *recvtype, F *root, F *comm, F *ierr) {
    *ierr = MPI_Scatter(B(sendbuf), *sendcount, *sendtype, B(recvbuf), *recvcount, *recvtype, *root, *comm);
}

void mpi_scatterv_(void *sendbuf, F *sendcounts, F *displs, F *sendtype, void *recvbuf, F *recvcount, F *recvtype, F *root, F *comm,
                   F *ierr) {
    *ierr = MPI_Scatterv(B(sendbuf), sendcounts, displs, *sendtype, B(recvbuf), *recvcount, *recvtype, *root, *comm);
}

void mpi_allgather_(void *sendbuf, F *sendcount, F *sendtype, void *recvbuf, F *recvcount, F *recvtype, F *comm, F *ierr) {
    *ierr = MPI_Allgather(B(sendbuf), *sendcount, *sendtype, B(recvbuf), *recvcount, *recvtype, *comm);
}

void mpi_allgatherv_(void *sendbuf, F *sendcount, F *sendtype, void *recvbuf, F *recvcounts, F *displs, F *recvtype, F *comm, F *ierr) {
    *ierr = MPI_Allgatherv(B(sendbuf), *sendcount, *sendtype, B(recvbuf), recvcounts, displs, *recvtype, *comm);
}

void mpi_alltoall_(void *sendbuf, F *sendcount, F *sendtype, void *recvbuf, F *recvcount, F *recvtype, F *comm, F *ierr) {
    *ierr = MPI_Alltoall(B(sendbuf), *sendcount, *sendtype, B(recvbuf), *recvcount, *recvtype, *comm);
}

void mpi_alltoallv_(void *sendbuf, F *sendcounts, F *sdispls, F *sendtype, void *recvbuf, F *recvcounts, F *rdispls, F *recvtype,
                    F *comm, F *ierr) {
    *ierr = MPI_Alltoallv(B(sendbuf), sendcounts, sdispls, *sendtype, B(recvbuf), recvcounts, rdispls, *recvtype, *comm);
}

/* ---- datatypes and operations ---- */

void mpi_type_size_(F *datatype, F *size, F *ierr) { *ierr = MPI_Type_size(*datatype, size); }

void mpi_type_get_extent_(F *datatype, MPI_Aint *lb, MPI_Aint *extent, F *ierr) { *ierr = MPI_Type_get_extent(*datatype, lb, extent); }

/* MPI-1's binding: the extent is a default INTEGER. */
void mpi_type_extent_(F *datatype, F *extent, F *ierr) {
    MPI_Aint e = 0;
    *ierr = MPI_Type_extent(*datatype, &e);
    if (*ierr == MPI_SUCCESS) *extent = (F)e;
}

void mpi_type_contiguous_(F *count, F *oldtype, F *newtype, F *ierr) { *ierr = MPI_Type_contiguous(*count, *oldtype, newtype); }

void mpi_type_vector_(F *count, F *blocklength, F *stride, F *oldtype, F *newtype, F *ierr) {
    *ierr = MPI_Type_vector(*count, *blocklength, *stride, *oldtype, newtype);
}

void mpi_type_create_struct_(F *count, F *blocklengths, MPI_Aint *displacements, F *types, F *newtype, F *ierr) {
    *ierr = MPI_Type_create_struct(*count, blocklengths, displacements, types, newtype);
}

void mpi_type_commit_(F *datatype, F *ierr) { *ierr = MPI_Type_commit(datatype); }
void mpi_type_free_(F *datatype, F *ierr) { *ierr = MPI_Type_free(datatype); }

/* A Fortran SUBROUTINE F(INVEC, INOUTVEC, LEN, DATATYPE) is called as C's MPI_User_function. */
void mpi_op_create_(MPI_User_function *function, F_logical *commute, F *op, F *ierr) { *ierr = MPI_Op_create(function, *commute != 0, op); }
void mpi_op_free_(F *op, F *ierr) { *ierr = MPI_Op_free(op); }

/* ---- what Cosched does not do (the C functions say so and return MPI_ERR_UNSUPPORTED_OPERATION) ---- */

void mpi_win_create_(void *base, MPI_Aint *size, F *disp_unit, F *info, F *comm, F *win, F *ierr) {
    *ierr = MPI_Win_create(B(base), *size, *disp_unit, *info, *comm, win);
}

void mpi_put_(void *origin, F *origin_count, F *origin_type, F *target_rank, MPI_Aint *target_disp, F *target_count, F *target_type,
              F *win, F *ierr) {
    *ierr = MPI_Put(B(origin), *origin_count, *origin_type, *target_rank, *target_disp, *target_count, *target_type, *win);
}

void mpi_get_(void *origin, F *origin_count, F *origin_type, F *target_rank, MPI_Aint *target_disp, F *target_count, F *target_type,
              F *win, F *ierr) {
    *ierr = MPI_Get(B(origin), *origin_count, *origin_type, *target_rank, *target_disp, *target_count, *target_type, *win);
}

void mpi_file_open_(F *comm, char *filename, F *amode, F *info, F *fh, F *ierr, size_t filename_len) {
    char *name = string_in(filename, filename_len);
    *ierr = MPI_File_open(*comm, name, *amode, *info, fh);
    free(name);
}

/* argv: CHARACTER*(*) argv(*), ended by a blank element, or MPI_ARGV_NULL. */
void mpi_comm_spawn_(char *command, char *argv, F *maxprocs, F *info, F *root, F *comm, F *intercomm, F *errcodes, F *ierr,
                     size_t command_len, size_t argv_len) {
    char *cmd = string_in(command, command_len);
    char **args = NULL;
    int n = 0;
    if (argv != cosched_mpi_fortran_argv_null_ && argv_len > 0) {
        while (1) {
            char *arg = string_in(argv + (size_t)n * argv_len, argv_len);
            int blank = arg == NULL || arg[0] == 0;
            free(arg);
            if (blank) break;
            n++;
        }
        args = calloc((size_t)n + 1, sizeof(char *));
        for (int i = 0; args != NULL && i < n; i++) args[i] = string_in(argv + (size_t)i * argv_len, argv_len);
    }
    *ierr = MPI_Comm_spawn(cmd, args, *maxprocs, *info, *root, *comm, intercomm,
                           errcodes == cosched_mpi_fortran_errcodes_ignore_ ? MPI_ERRCODES_IGNORE : errcodes);
    for (int i = 0; args != NULL && i < n; i++) free(args[i]);
    free(args);
    free(cmd);
}

/* ---- groups, attributes, user error handlers, memory (added with the C calls they wrap) ---- */

void mpi_comm_group_(F *comm, F *group, F *ierr) { *ierr = MPI_Comm_group(*comm, group); }
void mpi_comm_create_(F *comm, F *group, F *newcomm, F *ierr) { *ierr = MPI_Comm_create(*comm, *group, newcomm); }
void mpi_group_size_(F *group, F *size, F *ierr) { *ierr = MPI_Group_size(*group, size); }
void mpi_group_rank_(F *group, F *rank, F *ierr) { *ierr = MPI_Group_rank(*group, rank); }
void mpi_group_incl_(F *group, F *n, F *ranks, F *newgroup, F *ierr) { *ierr = MPI_Group_incl(*group, *n, ranks, newgroup); }
void mpi_group_translate_ranks_(F *group1, F *n, F *ranks1, F *group2, F *ranks2, F *ierr) {
    *ierr = MPI_Group_translate_ranks(*group1, *n, ranks1, *group2, ranks2);
}
void mpi_group_free_(F *group, F *ierr) { *ierr = MPI_Group_free(group); }

/* Fortran gets the attribute's value itself (an INTEGER(KIND=MPI_ADDRESS_KIND)), C a pointer to it. */
void mpi_comm_get_attr_(F *comm, F *keyval, MPI_Aint *value, F_logical *flag, F *ierr) {
    int *p = NULL, found = 0;
    *ierr = MPI_Comm_get_attr(*comm, *keyval, &p, &found);
    *flag = L(found);
    if (found) *value = *p;
}
/* MPI-1's MPI_ATTR_GET hands out a default INTEGER. */
void mpi_attr_get_(F *comm, F *keyval, F *value, F_logical *flag, F *ierr) {
    int *p = NULL, found = 0;
    *ierr = MPI_Attr_get(*comm, *keyval, &p, &found);
    *flag = L(found);
    if (found) *value = *p;
}

void mpi_comm_create_errhandler_(MPI_Comm_errhandler_function *function, F *errhandler, F *ierr) {
    *ierr = MPI_Comm_create_errhandler(function, errhandler);
}
void mpi_errhandler_create_(MPI_Handler_function *function, F *errhandler, F *ierr) { *ierr = MPI_Errhandler_create(function, errhandler); }

/* The memory comes back as an address (Fortran programs use it through Cray pointers or c_f_pointer). */
void mpi_alloc_mem_(MPI_Aint *size, F *info, void **baseptr, F *ierr) { *ierr = MPI_Alloc_mem(*size, *info, baseptr); }
void mpi_free_mem_(void *base, F *ierr) { *ierr = MPI_Free_mem(base); }

void mpi_type_create_resized_(F *oldtype, MPI_Aint *lb, MPI_Aint *extent, F *newtype, F *ierr) {
    *ierr = MPI_Type_create_resized(*oldtype, *lb, *extent, newtype);
}
void mpi_type_struct_(F *count, F *blocklengths, F *displacements, F *types, F *newtype, F *ierr) {
    /* MPI-1's Fortran MPI_TYPE_STRUCT takes default INTEGER displacements. */
    MPI_Aint *d = malloc((*count > 0 ? *count : 1) * sizeof(MPI_Aint));
    for (int i = 0; i < *count; i++) d[i] = displacements[i];
    *ierr = MPI_Type_struct(*count, blocklengths, d, types, newtype);
    free(d);
}
