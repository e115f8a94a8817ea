/* Shared by the C test programs of Cosched's MPI library: a failed check prints where and exits 1. */
#include <stdio.h>
#include <stdlib.h>
#include <mpi.h>

#define CHECK(cond, ...) do { if (!(cond)) { int r_; MPI_Comm_rank(MPI_COMM_WORLD, &r_); \
    fprintf(stderr, "rank %d: %s:%d: check failed: %s: ", r_, __FILE__, __LINE__, #cond); \
    fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); exit(1); } } while (0)
#define OK(call) do { int e_ = (call); CHECK(e_ == MPI_SUCCESS, "%s returned %d", #call, e_); } while (0)
