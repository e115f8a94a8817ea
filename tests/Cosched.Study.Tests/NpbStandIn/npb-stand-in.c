/* A stand-in for NPB 3.4's binaries in the study's end-to-end test (no NPB code: CI has none). It
 * takes its role from its own file name, as NPB's make names the real ones: KERNEL.CLASS.x or
 * KERNEL-mz.CLASS.x. It does a little work on every rank, sums it with MPI_Allreduce, and rank 0
 * prints the report NPB's print_results prints; the verification is SUCCESSFUL when the sum is
 * right, except that a "cg" never verifies (the test's failing kernel). A multi-zone one needs
 * OMP_NUM_THREADS on every rank, as NPB-MZ does, and reports the threads of all ranks together. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);

    const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    char kernel[16] = "", problem = '?';
    const char *dot = strchr(name, '.');
    if (dot && dot - name < (int)sizeof kernel) {
        memcpy(kernel, name, dot - name);
        problem = dot[1];
    }
    int multizone = strstr(kernel, "-mz") != NULL;
    const char *threads_text = getenv("OMP_NUM_THREADS");
    int threads = threads_text ? atoi(threads_text) : 0;

    double start = MPI_Wtime();
    volatile double x = 0;
    for (long i = 0; i < 5 * 1000 * 1000L; i++) x += 1e-9 * (double)(i % 7);
    long mine = rank + 1, sum = 0;
    MPI_Allreduce(&mine, &sum, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
    int total_threads = 0;
    MPI_Allreduce(&threads, &total_threads, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    double seconds = MPI_Wtime() - start;

    int verified = sum == (long)size * (size + 1) / 2 && strcmp(kernel, "cg") != 0 && (!multizone || threads > 0);
    if (rank == 0) {
        for (char *c = kernel; *c; c++) if (*c >= 'a' && *c <= 'z') *c -= 'a' - 'A';
        printf("\n\n %s Benchmark Completed.\n", kernel);
        printf(" Class           =                        %c\n", problem);
        printf(" Size            =                     1400\n");
        printf(" Iterations      =                       15\n");
        printf(" Time in seconds =             %12.2f\n", seconds);
        printf(" Total processes =             %12d\n", size);
        if (multizone) printf(" Total threads   =             %12d\n", total_threads);
        else printf(" Active processes=             %12d\n", size);
        printf(" Mop/s total     =             %12.2f\n", 20.0 * size / seconds);
        printf(" Mop/s/process   =             %12.2f\n", 20.0 / seconds);
        printf(" Operation type  =           floating point\n");
        printf(" Verification    =             %s\n", verified ? "  SUCCESSFUL" : "UNSUCCESSFUL");
        printf(" Version         =                    3.4.1\n");
    }
    MPI_Finalize();
    return 0;
}
