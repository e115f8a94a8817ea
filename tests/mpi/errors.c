/* Error handling: MPI_ERRORS_RETURN gives classes and strings; what Cosched does not do says so by
 * name; `errors fatal` ends the job with one line under MPI_ERRORS_ARE_FATAL; `errors abort`
 * calls MPI_Abort; `errors nofinalize` exits without MPI_Finalize. */
#include <string.h>
#include "check.h"

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "return";
    int rank, flag;
    OK(MPI_Initialized(&flag));
    CHECK(flag == 0, "initialised before MPI_Init");
    OK(MPI_Init(&argc, &argv));
    OK(MPI_Initialized(&flag));
    CHECK(flag == 1, "not initialised after MPI_Init");
    OK(MPI_Comm_rank(MPI_COMM_WORLD, &rank));
    if (strcmp(mode, "fatal") == 0) {
        int x = 0;
        if (rank == 1) MPI_Send(&x, 1, MPI_INT, 99, 0, MPI_COMM_WORLD);
        MPI_Barrier(MPI_COMM_WORLD);
        return 0;
    }
    if (strcmp(mode, "abort") == 0) {
        if (rank == 1) MPI_Abort(MPI_COMM_WORLD, 7);
        MPI_Barrier(MPI_COMM_WORLD);
        return 0;
    }
    if (strcmp(mode, "nofinalize") == 0) {
        MPI_Barrier(MPI_COMM_WORLD);
        return 0;
    }
    if (strcmp(mode, "unsupported") == 0) {
        MPI_Win win;
        MPI_Win_create(NULL, 0, 1, MPI_INFO_NULL, MPI_COMM_WORLD, &win);
        return 0;
    }
    MPI_Errhandler handler;
    OK(MPI_Comm_get_errhandler(MPI_COMM_WORLD, &handler));
    CHECK(handler == MPI_ERRORS_ARE_FATAL, "default handler %d", handler);
    OK(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN));
    int code, cls, len;
    char text[MPI_MAX_ERROR_STRING];
    code = MPI_Win_create(NULL, 0, 1, MPI_INFO_NULL, MPI_COMM_WORLD, NULL);
    MPI_Error_class(code, &cls);
    CHECK(cls == MPI_ERR_UNSUPPORTED_OPERATION, "MPI_Win_create gave %d", code);
    OK(MPI_Error_string(code, text, &len));
    CHECK(len == (int)strlen(text) && strstr(text, "not supported"), "error string '%s'", text);
    code = MPI_Bcast(&len, 1, MPI_INT, 0, 12345);
    MPI_Error_class(code, &cls);
    CHECK(cls == MPI_ERR_COMM, "a bad communicator gave %d", code);
    code = MPI_Allreduce(&len, &cls, 1, MPI_DOUBLE, MPI_BAND, MPI_COMM_WORLD);
    MPI_Error_class(code, &cls);
    CHECK(cls == MPI_ERR_OP, "MPI_BAND on doubles gave %d", code);
    char name[MPI_MAX_PROCESSOR_NAME];
    OK(MPI_Get_processor_name(name, &len));
    CHECK(len > 0 && len == (int)strlen(name), "processor name '%s' (%d)", name, len);
    int version, subversion;
    OK(MPI_Get_version(&version, &subversion));
    CHECK(version == MPI_VERSION && subversion == MPI_SUBVERSION, "version %d.%d", version, subversion);
    double t0 = MPI_Wtime();
    CHECK(MPI_Wtick() > 0 && MPI_Wtick() < 1e-3 && MPI_Wtime() >= t0, "clock");
    int *tag_ub;
    OK(MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_TAG_UB, &tag_ub, &flag));
    CHECK(flag == 1 && *tag_ub >= 32767, "MPI_TAG_UB: flag %d", flag);
    OK(MPI_Comm_get_attr(MPI_COMM_WORLD, 999, &tag_ub, &flag));
    CHECK(flag == 0, "an unknown attribute was found");
    CHECK(sizeof(MPI_Status) == 24, "MPI_Status is %zu bytes (Fortran's MPI_STATUS_SIZE is 6 integers)", sizeof(MPI_Status));
    OK(MPI_Finalize());
    OK(MPI_Finalized(&flag));
    CHECK(flag == 1, "not finalised after MPI_Finalize");
    if (rank == 0) printf("errors ok\n");
    return 0;
}
