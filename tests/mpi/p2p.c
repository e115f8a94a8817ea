/* Point-to-point semantics: order, wildcards, truncation, probes, non-blocking completion,
 * MPI_PROC_NULL, Sendrecv, derived datatypes. Any number of ranks >= 2. */
#include <stddef.h>
#include <string.h>
#include "check.h"

int main(int argc, char **argv) {
    int rank, size;
    OK(MPI_Init(&argc, &argv));
    OK(MPI_Comm_rank(MPI_COMM_WORLD, &rank));
    OK(MPI_Comm_size(MPI_COMM_WORLD, &size));
    CHECK(size >= 2, "needs 2 ranks, has %d", size);
    int next = (rank + 1) % size, prev = (rank + size - 1) % size;

    /* Order: 200 messages of growing size (past the eager limit) to the next rank, one tag. */
    for (int i = 0; i < 200; i++) {
        int n = 1 + i * 211;
        int *out = malloc(n * sizeof(int)), *in = malloc(n * sizeof(int));
        for (int k = 0; k < n; k++) out[k] = rank * 1000000 + i * 1000 + k % 1000;
        MPI_Request r;
        MPI_Status s;
        OK(MPI_Isend(out, n, MPI_INT, next, 7, MPI_COMM_WORLD, &r));
        OK(MPI_Recv(in, n, MPI_INT, prev, 7, MPI_COMM_WORLD, &s));
        int got;
        OK(MPI_Get_count(&s, MPI_INT, &got));
        CHECK(got == n && s.MPI_SOURCE == prev && s.MPI_TAG == 7, "message %d: %d ints from %d tag %d", i, got, s.MPI_SOURCE, s.MPI_TAG);
        for (int k = 0; k < n; k++) CHECK(in[k] == prev * 1000000 + i * 1000 + k % 1000, "message %d element %d is %d", i, k, in[k]);
        OK(MPI_Wait(&r, MPI_STATUS_IGNORE));
        CHECK(r == MPI_REQUEST_NULL, "a completed request is not MPI_REQUEST_NULL");
        free(out); free(in);
    }

    /* Wildcards: every other rank sends rank 0 one message with tag = its rank; Probe, then receive. */
    if (rank == 0) {
        int seen = 0;
        for (int i = 1; i < size; i++) {
            MPI_Status s;
            OK(MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &s));
            int count;
            OK(MPI_Get_count(&s, MPI_DOUBLE, &count));
            CHECK(count == s.MPI_SOURCE && s.MPI_TAG == s.MPI_SOURCE, "probe: %d doubles from %d tag %d", count, s.MPI_SOURCE, s.MPI_TAG);
            double v[64];
            OK(MPI_Recv(v, 64, MPI_DOUBLE, MPI_ANY_SOURCE, s.MPI_TAG, MPI_COMM_WORLD, &s));
            for (int k = 0; k < count; k++) CHECK(v[k] == s.MPI_SOURCE + k * 0.5, "wildcard value");
            seen |= 1 << s.MPI_SOURCE;
        }
        CHECK(seen == ((1 << size) - 2), "senders seen %x", seen);
    } else {
        double v[64];
        for (int k = 0; k < rank; k++) v[k] = rank + k * 0.5;
        OK(MPI_Send(v, rank, MPI_DOUBLE, 0, rank, MPI_COMM_WORLD));
    }

    /* Truncation: a message longer than the receive buffer is MPI_ERR_TRUNCATE (with MPI_ERRORS_RETURN). */
    OK(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN));
    if (rank == 0) {
        int big[10] = {0};
        OK(MPI_Send(big, 10, MPI_INT, 1, 3, MPI_COMM_WORLD));
    } else if (rank == 1) {
        int small[4];
        int e = MPI_Recv(small, 4, MPI_INT, 0, 3, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        int cls;
        MPI_Error_class(e, &cls);
        CHECK(cls == MPI_ERR_TRUNCATE, "truncated receive returned %d", e);
    }
    /* Invalid arguments come back as their classes. */
    int dummy = 0, cls;
    MPI_Error_class(MPI_Send(&dummy, 1, MPI_INT, size + 5, 0, MPI_COMM_WORLD), &cls);
    CHECK(cls == MPI_ERR_RANK, "send to rank %d gave class %d", size + 5, cls);
    MPI_Error_class(MPI_Send(&dummy, 1, 9999, 0, 0, MPI_COMM_WORLD), &cls);
    CHECK(cls == MPI_ERR_TYPE, "send of datatype 9999 gave class %d", cls);
    MPI_Error_class(MPI_Send(&dummy, -1, MPI_INT, 0, 0, MPI_COMM_WORLD), &cls);
    CHECK(cls == MPI_ERR_COUNT, "count -1 gave class %d", cls);
    OK(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL));
    OK(MPI_Barrier(MPI_COMM_WORLD));

    /* MPI_PROC_NULL: completes at once with source MPI_PROC_NULL and no data. */
    MPI_Status s;
    int x = 42;
    OK(MPI_Send(&x, 1, MPI_INT, MPI_PROC_NULL, 0, MPI_COMM_WORLD));
    OK(MPI_Recv(&x, 1, MPI_INT, MPI_PROC_NULL, 0, MPI_COMM_WORLD, &s));
    int count;
    OK(MPI_Get_count(&s, MPI_INT, &count));
    CHECK(s.MPI_SOURCE == MPI_PROC_NULL && s.MPI_TAG == MPI_ANY_TAG && count == 0 && x == 42, "PROC_NULL receive");

    /* Non-blocking: receives posted first, Waitany/Testall, then Sendrecv_replace around the ring. */
    int in[3] = {-1, -1, -1}, out[3];
    MPI_Request reqs[6];
    for (int t = 0; t < 3; t++) OK(MPI_Irecv(&in[t], 1, MPI_INT, prev, 10 + t, MPI_COMM_WORLD, &reqs[t]));
    for (int t = 0; t < 3; t++) { out[t] = rank * 10 + t; OK(MPI_Isend(&out[t], 1, MPI_INT, next, 12 - t, MPI_COMM_WORLD, &reqs[3 + t])); }
    int done = 0;
    while (done < 6) {
        int index;
        OK(MPI_Waitany(6, reqs, &index, &s));
        CHECK(index >= 0 && index < 6 && reqs[index] == MPI_REQUEST_NULL, "waitany index %d", index);
        done++;
    }
    int index;
    OK(MPI_Waitany(6, reqs, &index, &s));
    CHECK(index == MPI_UNDEFINED, "waitany over null requests gave %d", index);
    for (int t = 0; t < 3; t++) CHECK(in[t] == prev * 10 + (2 - t), "irecv tag %d got %d", 10 + t, in[t]);
    int flag;
    OK(MPI_Testall(6, reqs, &flag, MPI_STATUSES_IGNORE));
    CHECK(flag == 1, "testall over null requests");
    int token = rank;
    OK(MPI_Sendrecv_replace(&token, 1, MPI_INT, next, 5, prev, 5, MPI_COMM_WORLD, &s));
    CHECK(token == prev && s.MPI_SOURCE == prev, "sendrecv_replace got %d", token);

    /* A derived type: every other double of a row, sent as a vector, received contiguous. */
    MPI_Datatype every_other;
    OK(MPI_Type_vector(4, 1, 2, MPI_DOUBLE, &every_other));
    OK(MPI_Type_commit(&every_other));
    int tsize;
    MPI_Aint lb, extent;
    OK(MPI_Type_size(every_other, &tsize));
    OK(MPI_Type_get_extent(every_other, &lb, &extent));
    CHECK(tsize == 32 && extent == 56 && lb == 0, "vector: size %d extent %ld", tsize, (long)extent);
    double row[8], got4[4];
    for (int k = 0; k < 8; k++) row[k] = rank * 100 + k;
    OK(MPI_Sendrecv(row, 1, every_other, next, 9, got4, 4, MPI_DOUBLE, prev, 9, MPI_COMM_WORLD, &s));
    for (int k = 0; k < 4; k++) CHECK(got4[k] == prev * 100 + 2 * k, "vector element %d is %g", k, got4[k]);
    double back[8] = {0};
    OK(MPI_Sendrecv(got4, 4, MPI_DOUBLE, prev, 11, back, 1, every_other, next, 11, MPI_COMM_WORLD, &s));
    for (int k = 0; k < 8; k++) CHECK(back[k] == (k % 2 ? 0 : rank * 100 + k), "unpacked element %d is %g", k, back[k]);
    OK(MPI_Type_free(&every_other));

    /* A struct type: {int id; double value; char tag} as C lays it out, sent two at a time. */
    struct particle { int id; double value; char tag; } parts[2] = {{rank, rank * 0.25, 'a' + rank}, {rank + 10, rank * 0.5, 'z'}}, got2[2];
    int lengths[3] = {1, 1, 1};
    MPI_Aint displacements[3] = {offsetof(struct particle, id), offsetof(struct particle, value), offsetof(struct particle, tag)};
    MPI_Datatype members[3] = {MPI_INT, MPI_DOUBLE, MPI_CHAR}, particle;
    OK(MPI_Type_create_struct(3, lengths, displacements, members, &particle));
    OK(MPI_Type_commit(&particle));
    OK(MPI_Type_size(particle, &tsize));
    OK(MPI_Type_get_extent(particle, &lb, &extent));
    CHECK(tsize == 13 && extent == (MPI_Aint)sizeof(struct particle), "struct: size %d extent %ld", tsize, (long)extent);
    memset(got2, 0, sizeof got2);
    OK(MPI_Sendrecv(parts, 2, particle, next, 13, got2, 2, particle, prev, 13, MPI_COMM_WORLD, &s));
    OK(MPI_Get_count(&s, particle, &count));
    CHECK(count == 2, "struct count %d", count);
    CHECK(got2[0].id == prev && got2[0].value == prev * 0.25 && got2[0].tag == 'a' + prev && got2[1].id == prev + 10 && got2[1].value == prev * 0.5 && got2[1].tag == 'z',
          "struct received %d %g %c / %d %g %c", got2[0].id, got2[0].value, got2[0].tag, got2[1].id, got2[1].value, got2[1].tag);
    OK(MPI_Type_free(&particle));

    /* Synchronous sends: an Issend of 8 bytes stays open until its receive is posted (a standard
       send of 8 bytes would complete at once); Ssend returns once matched. */
    if (size >= 2 && rank < 2) {
        int word = 42, flag = 1;
        if (rank == 0) {
            MPI_Request sync;
            OK(MPI_Issend(&word, 1, MPI_INT, 1, 21, MPI_COMM_WORLD, &sync));
            for (double until = MPI_Wtime() + 0.1; MPI_Wtime() < until;) {
                OK(MPI_Test(&sync, &flag, MPI_STATUS_IGNORE));
                CHECK(!flag, "MPI_Issend completed before rank 1 posted its receive");
            }
            OK(MPI_Send(&word, 0, MPI_INT, 1, 22, MPI_COMM_WORLD)); /* now post it */
            OK(MPI_Wait(&sync, MPI_STATUS_IGNORE));
            OK(MPI_Ssend(&word, 1, MPI_INT, 1, 23, MPI_COMM_WORLD));
        } else {
            int got = 0;
            OK(MPI_Recv(&got, 0, MPI_INT, 0, 22, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
            OK(MPI_Recv(&got, 1, MPI_INT, 0, 21, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
            CHECK(got == 42, "Issend delivered %d", got);
            OK(MPI_Recv(&got, 1, MPI_INT, 0, 23, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
            CHECK(got == 42, "Ssend delivered %d", got);
        }
    }

    OK(MPI_Barrier(MPI_COMM_WORLD));
    if (rank == 0) printf("p2p ok on %d ranks\n", size);
    OK(MPI_Finalize());
    return 0;
}
