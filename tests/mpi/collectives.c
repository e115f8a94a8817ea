/* Every blocking collective for several sizes and types against a sequential reference, with
 * MPI_IN_PLACE, the v-variants, MINLOC/MAXLOC, a user operation and a split communicator. */
#include <string.h>
#include "check.h"

static int rank, size;

/* The value rank r contributes at index i (exact in doubles). */
static double V(int r, int i) { return (double)((r + 1) * 3 + i % 17); }

static void my_prod(void *in, void *inout, int *len, MPI_Datatype *type) {
    (void)type;
    /* Not commutative in general: 2x2 matrices of ints, stored row-major, inout = in x inout. */
    int *a = in, *b = inout;
    for (int k = 0; k < *len; k++, a += 4, b += 4) {
        int c[4] = { a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3] };
        memcpy(b, c, sizeof c);
    }
}

static void test_sizes(MPI_Comm comm) {
    int me, n;
    MPI_Comm_rank(comm, &me);
    MPI_Comm_size(comm, &n);
    int sizes[] = {1, 7, 1000, 40000};
    for (int s = 0; s < 4; s++) {
        int count = sizes[s];
        double *a = malloc(count * n * sizeof(double)), *b = malloc(count * n * sizeof(double));
        long *l = malloc(count * sizeof(long)), *lr = malloc(count * sizeof(long));
        for (int root = 0; root < n; root += (n > 2 ? n - 1 : 1)) {
            /* Bcast */
            for (int i = 0; i < count; i++) a[i] = me == root ? V(root, i) : -1;
            OK(MPI_Bcast(a, count, MPI_DOUBLE, root, comm));
            for (int i = 0; i < count; i++) CHECK(a[i] == V(root, i), "bcast %d root %d [%d]", count, root, i);
            /* Reduce sum, and in place at the root */
            for (int i = 0; i < count; i++) { a[i] = V(me, i); b[i] = -1; }
            OK(MPI_Reduce(a, b, count, MPI_DOUBLE, MPI_SUM, root, comm));
            if (me == root) for (int i = 0; i < count; i++) { double e = 0; for (int r = 0; r < n; r++) e += V(r, i); CHECK(b[i] == e, "reduce %d [%d]", count, i); }
            if (me == root) OK(MPI_Reduce(MPI_IN_PLACE, a, count, MPI_DOUBLE, MPI_MAX, root, comm));
            else OK(MPI_Reduce(a, NULL, count, MPI_DOUBLE, MPI_MAX, root, comm));
            if (me == root) for (int i = 0; i < count; i++) CHECK(a[i] == V(n - 1, i), "reduce in place max %d [%d]", count, i);
            /* Gather, Scatter */
            for (int i = 0; i < count; i++) a[i] = V(me, i);
            OK(MPI_Gather(a, count, MPI_DOUBLE, b, count, MPI_DOUBLE, root, comm));
            if (me == root) for (int r = 0; r < n; r++) for (int i = 0; i < count; i++) CHECK(b[r * count + i] == V(r, i), "gather %d", count);
            if (me == root) for (int r = 0; r < n; r++) for (int i = 0; i < count; i++) b[r * count + i] = V(r, i) * 2;
            OK(MPI_Scatter(b, count, MPI_DOUBLE, a, count, MPI_DOUBLE, root, comm));
            for (int i = 0; i < count; i++) CHECK(a[i] == V(me, i) * 2, "scatter %d [%d]", count, i);
        }
        /* Allreduce on longs, in place, and bitwise or */
        for (int i = 0; i < count; i++) l[i] = (long)(me + 1) << (i % 40);
        OK(MPI_Allreduce(l, lr, count, MPI_LONG, MPI_SUM, comm));
        for (int i = 0; i < count; i++) CHECK(lr[i] == ((long)n * (n + 1) / 2) << (i % 40), "allreduce long %d [%d]", count, i);
        OK(MPI_Allreduce(MPI_IN_PLACE, l, count, MPI_LONG, MPI_BOR, comm));
        for (int i = 0; i < count; i++) { long e = 0; for (int r = 0; r < n; r++) e |= (long)(r + 1) << (i % 40); CHECK(l[i] == e, "allreduce bor [%d]", i); }
        /* Allgather, in place too */
        for (int i = 0; i < count; i++) a[i] = V(me, i);
        OK(MPI_Allgather(a, count, MPI_DOUBLE, b, count, MPI_DOUBLE, comm));
        for (int r = 0; r < n; r++) for (int i = 0; i < count; i++) CHECK(b[r * count + i] == V(r, i), "allgather %d", count);
        for (int i = 0; i < count; i++) { b[me * count + i] = V(me, i) + 1; }
        OK(MPI_Allgather(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, b, count, MPI_DOUBLE, comm));
        for (int r = 0; r < n; r++) for (int i = 0; i < count; i++) CHECK(b[r * count + i] == V(r, i) + 1, "allgather in place %d", count);
        /* Alltoall */
        for (int r = 0; r < n; r++) for (int i = 0; i < count; i++) a[r * count + i] = me * 1000 + r + i % 7;
        OK(MPI_Alltoall(a, count, MPI_DOUBLE, b, count, MPI_DOUBLE, comm));
        for (int r = 0; r < n; r++) for (int i = 0; i < count; i++) CHECK(b[r * count + i] == r * 1000 + me + i % 7, "alltoall %d", count);
        /* Scan and Exscan on ints */
        int x = me + 1, scan = -1, exscan = -1;
        OK(MPI_Scan(&x, &scan, 1, MPI_INT, MPI_SUM, comm));
        OK(MPI_Exscan(&x, &exscan, 1, MPI_INT, MPI_SUM, comm));
        CHECK(scan == (me + 1) * (me + 2) / 2, "scan gave %d", scan);
        if (me > 0) CHECK(exscan == me * (me + 1) / 2, "exscan gave %d", exscan);
        free(a); free(b); free(l); free(lr);
    }
}

static void test_v_and_special(void) {
    /* Gatherv/Scatterv/Allgatherv/Alltoallv with rank r sending r+1 ints, displaced with a gap. */
    int *counts = malloc(size * sizeof(int)), *displs = malloc(size * sizeof(int));
    int total = 0;
    for (int r = 0; r < size; r++) { counts[r] = r + 1; displs[r] = total + r; total += r + 1; }
    int span = displs[size - 1] + counts[size - 1];
    int mine[64], *all = calloc(span, sizeof(int));
    for (int k = 0; k <= rank; k++) mine[k] = rank * 100 + k;
    OK(MPI_Gatherv(mine, rank + 1, MPI_INT, all, counts, displs, MPI_INT, 0, MPI_COMM_WORLD));
    if (rank == 0) for (int r = 0; r < size; r++) for (int k = 0; k < counts[r]; k++) CHECK(all[displs[r] + k] == r * 100 + k, "gatherv");
    memset(all, 0, span * sizeof(int));
    OK(MPI_Allgatherv(mine, rank + 1, MPI_INT, all, counts, displs, MPI_INT, MPI_COMM_WORLD));
    for (int r = 0; r < size; r++) for (int k = 0; k < counts[r]; k++) CHECK(all[displs[r] + k] == r * 100 + k, "allgatherv");
    int back[64] = {0};
    OK(MPI_Scatterv(all, counts, displs, MPI_INT, back, rank + 1, MPI_INT, 0, MPI_COMM_WORLD));
    for (int k = 0; k <= rank; k++) CHECK(back[k] == rank * 100 + k, "scatterv");
    /* Alltoallv: rank r sends (s+1) ints to rank s. */
    int *sc = malloc(size * sizeof(int)), *sd = malloc(size * sizeof(int)), *rc = malloc(size * sizeof(int)), *rd = malloc(size * sizeof(int));
    int st = 0, rt = 0;
    for (int r = 0; r < size; r++) { sc[r] = r + 1; sd[r] = st; st += r + 1; rc[r] = rank + 1; rd[r] = rt; rt += rank + 1; }
    int *sb = malloc(st * sizeof(int)), *rb = malloc(rt * sizeof(int));
    for (int r = 0; r < size; r++) for (int k = 0; k < sc[r]; k++) sb[sd[r] + k] = rank * 1000 + r * 10 + k;
    OK(MPI_Alltoallv(sb, sc, sd, MPI_INT, rb, rc, rd, MPI_INT, MPI_COMM_WORLD));
    for (int r = 0; r < size; r++) for (int k = 0; k < rc[r]; k++) CHECK(rb[rd[r] + k] == r * 1000 + rank * 10 + k, "alltoallv");
    /* Reduce_scatter_block and Reduce_scatter */
    int *v = malloc(size * 2 * sizeof(int)), got[2];
    for (int k = 0; k < size * 2; k++) v[k] = k + rank;
    OK(MPI_Reduce_scatter_block(v, got, 2, MPI_INT, MPI_SUM, MPI_COMM_WORLD));
    for (int k = 0; k < 2; k++) CHECK(got[k] == size * (rank * 2 + k) + size * (size - 1) / 2, "reduce_scatter_block");
    /* MINLOC / MAXLOC on double-int pairs */
    struct { double value; int index; } in = { (double)((rank * 7) % size), rank }, lo, hi;
    OK(MPI_Allreduce(&in, &lo, 1, MPI_DOUBLE_INT, MPI_MINLOC, MPI_COMM_WORLD));
    OK(MPI_Allreduce(&in, &hi, 1, MPI_DOUBLE_INT, MPI_MAXLOC, MPI_COMM_WORLD));
    CHECK(lo.value == 0 && lo.index == 0, "minloc gave %g at %d", lo.value, lo.index);
    double best = -1; int at = -1;
    for (int r = 0; r < size; r++) if ((r * 7) % size > best) { best = (r * 7) % size; at = r; }
    CHECK(hi.value == best && hi.index == at, "maxloc gave %g at %d, expected %g at %d", hi.value, hi.index, best, at);
    /* Logical and on ints */
    int t = rank != 1, all_true;
    OK(MPI_Allreduce(&t, &all_true, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD));
    CHECK(all_true == 0, "land");
    /* A user operation that does not commute: products of 2x2 matrices in rank order. */
    MPI_Op op;
    OK(MPI_Op_create(my_prod, 0, &op));
    int m[4] = { 1, rank + 1, 0, 1 }, prod[4];
    OK(MPI_Allreduce(m, prod, 4, MPI_INT, op, MPI_COMM_WORLD));
    /* [[1,a],[0,1]] x [[1,b],[0,1]] = [[1,a+b],[0,1]]: the sum of 1..size in the corner. */
    CHECK(prod[0] == 1 && prod[1] == size * (size + 1) / 2 && prod[2] == 0 && prod[3] == 1, "user op gave %d %d %d %d", prod[0], prod[1], prod[2], prod[3]);
    OK(MPI_Op_free(&op));
    CHECK(op == MPI_OP_NULL, "op_free");
    free(counts); free(displs); free(all); free(sc); free(sd); free(rc); free(rd); free(sb); free(rb); free(v);
}

int main(int argc, char **argv) {
    int provided;
    OK(MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided));
    CHECK(provided == MPI_THREAD_FUNNELED, "asked for MULTIPLE, told %d (Cosched provides FUNNELED)", provided);
    OK(MPI_Comm_rank(MPI_COMM_WORLD, &rank));
    OK(MPI_Comm_size(MPI_COMM_WORLD, &size));
    /* collectives [SECONDS]: repeated until SECONDS have passed (while the launcher moves VMs). */
    double until = MPI_Wtime() + (argc > 1 ? atof(argv[1]) : 0);
    int go = 1, rounds = 0;
    while (go) {
        test_sizes(MPI_COMM_WORLD);
        test_v_and_special();
        rounds++;
        int more = MPI_Wtime() < until;
        OK(MPI_Allreduce(&more, &go, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD));
    }
    /* The same on halves of the job, and on a duplicate. */
    MPI_Comm half, dup;
    OK(MPI_Comm_split(MPI_COMM_WORLD, rank % 2, -rank, &half));
    int hr, hs;
    MPI_Comm_rank(half, &hr);
    MPI_Comm_size(half, &hs);
    CHECK(hs == (size + 1 - rank % 2) / 2, "split size %d", hs);
    test_sizes(half);
    OK(MPI_Comm_dup(MPI_COMM_WORLD, &dup));
    int result;
    OK(MPI_Comm_compare(MPI_COMM_WORLD, dup, &result));
    CHECK(result == MPI_CONGRUENT, "compare world and its dup gave %d", result);
    test_sizes(dup);
    OK(MPI_Comm_free(&half));
    OK(MPI_Comm_free(&dup));
    OK(MPI_Barrier(MPI_COMM_WORLD));
    if (rank == 0) printf("collectives ok on %d ranks, %d rounds\n", size, rounds);
    OK(MPI_Finalize());
    return 0;
}
