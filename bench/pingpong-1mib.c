/* A plain MPI PingPong of 1 MiB as Intel MPI Benchmarks times it (10 warm-up round trips, then 40
 * timed, half the round trip): the Open MPI side of bench/compare-1mib.sh, for machines without an
 * IMB build. Prints MB/s (10^6 bytes per second). Build: mpicc -O2 -o pingpong-1mib pingpong-1mib.c */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void round_trips(int rank, char *send, char *receive, int bytes, int count)
{
    for (int i = 0; i < count; i++) {
        if (rank == 0) {
            MPI_Send(send, bytes, MPI_BYTE, 1, 1, MPI_COMM_WORLD);
            MPI_Recv(receive, bytes, MPI_BYTE, 1, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        } else {
            MPI_Recv(receive, bytes, MPI_BYTE, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MPI_Send(receive, bytes, MPI_BYTE, 0, 1, MPI_COMM_WORLD);
        }
    }
}

int main(int argc, char **argv)
{
    const int bytes = 1 << 20, repetitions = 40;
    int rank;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    char *send = malloc(bytes), *receive = malloc(bytes);
    memset(send, 7, bytes);
    memset(receive, 0, bytes);
    round_trips(rank, send, receive, bytes, 10);
    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    round_trips(rank, send, receive, bytes, repetitions);
    double one_way = (MPI_Wtime() - start) / repetitions / 2;
    if (rank == 0) printf("%.2f\n", bytes / one_way / 1e6);
    free(send);
    free(receive);
    MPI_Finalize();
    return 0;
}
