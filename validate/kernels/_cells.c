/* Per-cell tests of string columns, each in one pass, over Arrow's string views as polars holds
 * them. Polars spends a pass over a column for every test (a character count, a formula test, the
 * five tests of "left as it is by normalise()"): seven passes where profile() makes one, and the
 * check at a million claims is the sum of such passes. validate/kernels/cells.py calls these, and
 * keeps the polars expressions they replace as the reference, which tests/kernels/test_cells.py
 * holds them to on random text.
 *
 * A column comes as a tuple (validity, bit offset, views, data buffers), the Arrow buffers of one
 * chunk: validity is a bitmap (None: no nulls) whose first row is at the bit offset; views holds
 * 16 bytes per row, starting at the first row: an int32 length, then for up to 12 bytes the bytes
 * themselves, otherwise a 4-byte prefix, the int32 index of a data buffer and the int32 offset of
 * the bytes in it. Every view of a valid row is checked to lie inside its buffer before any is
 * read, so that no input can make a read go astray. Each function releases the GIL while it
 * works, so two can run at once on two cores.
 *
 * Only the passes that no library runs fast enough stay here (docs/performance.md has the
 * measurements): a file's line and UTF-8 scan and each cell's UTF-8 check went to polars and
 * Arrow. benchmarks/fuzz_cells.py builds this file with ASan and UBSan and fuzzes every function.
 */
#define _GNU_SOURCE 1 /* memmem; pyconfig.h defines it alike */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* Raised with every change to the functions here: cells.py uses a module of its own
 * version only (an editable install not rebuilt after a pull may hold an older one). */
#define CELLS_VERSION 6

/* Bits of profile()'s flags. */
#define PLAIN 1   /* normalise() leaves the cell as it is */
#define FORMULA 2 /* the cell begins like a spreadsheet formula: = + - @ tab or CR */

typedef struct {
    Py_buffer validity; /* .obj NULL: no nulls */
    Py_ssize_t bit;     /* the first row's bit in validity */
    Py_buffer views;
    Py_buffer *data;
    Py_ssize_t ndata;
} Column;

static void column_release(Column *c) {
    if (c->data) {
        for (Py_ssize_t i = 0; i < c->ndata; i++) PyBuffer_Release(&c->data[i]);
        PyMem_Free(c->data);
        c->data = NULL;
    }
    if (c->views.obj) PyBuffer_Release(&c->views);
    if (c->validity.obj) PyBuffer_Release(&c->validity);
}

static inline int valid(const Column *c, Py_ssize_t i) {
    if (!c->validity.obj) return 1;
    Py_ssize_t b = c->bit + i;
    return (((const uint8_t *)c->validity.buf)[b >> 3] >> (b & 7)) & 1;
}

/* Releases c and fails, with the error given (or, with type NULL, the one already set). */
static int column_fail(Column *c, PyObject *type, const char *message) {
    if (type) PyErr_SetString(type, message);
    column_release(c);
    return -1;
}

/* Takes the buffers of `spec` (see the top of this file) for rows [0, n), checked. */
static int column_get(PyObject *spec, Py_ssize_t n, Column *c) {
    PyObject *validity, *views, *buffers;
    memset(c, 0, sizeof *c);
    if (!PyArg_ParseTuple(spec, "OnOO!", &validity, &c->bit, &views, &PyTuple_Type, &buffers)) return -1;
    if (validity != Py_None && PyObject_GetBuffer(validity, &c->validity, PyBUF_SIMPLE) < 0) return -1;
    if (PyObject_GetBuffer(views, &c->views, PyBUF_SIMPLE) < 0) return column_fail(c, NULL, NULL);
    if (n < 0 || c->bit < 0 || c->views.len / 16 < n) return column_fail(c, PyExc_ValueError, "views buffer shorter than the rows");
    if (c->bit > PY_SSIZE_T_MAX - 8 - n) return column_fail(c, PyExc_ValueError, "bit offset too large");
    if (c->validity.obj && (c->bit + n + 7) / 8 > c->validity.len)
        return column_fail(c, PyExc_ValueError, "validity bitmap shorter than the rows");
    c->ndata = PyTuple_GET_SIZE(buffers);
    c->data = PyMem_Calloc(c->ndata ? (size_t)c->ndata : 1, sizeof(Py_buffer));
    if (!c->data) {
        PyErr_NoMemory();
        return column_fail(c, NULL, NULL);
    }
    for (Py_ssize_t i = 0; i < c->ndata; i++) {
        if (PyObject_GetBuffer(PyTuple_GET_ITEM(buffers, i), &c->data[i], PyBUF_SIMPLE) < 0) {
            c->ndata = i;
            return column_fail(c, NULL, NULL);
        }
    }
    const uint8_t *v = c->views.buf;
    for (Py_ssize_t i = 0; i < n; i++, v += 16) {
        int32_t len, index, offset;
        if (!valid(c, i)) continue;
        memcpy(&len, v, 4);
        if (len < 0) return column_fail(c, PyExc_ValueError, "a string view has a negative length");
        if (len <= 12) continue;
        memcpy(&index, v + 8, 4);
        memcpy(&offset, v + 12, 4);
        if (index < 0 || index >= c->ndata || offset < 0 || (Py_ssize_t)offset + len > c->data[index].len)
            return column_fail(c, PyExc_ValueError, "a string view points outside its data buffers");
    }
    return 0;
}

static inline const uint8_t *cell(const Column *c, Py_ssize_t i, int32_t *len) {
    const uint8_t *v = (const uint8_t *)c->views.buf + 16 * i;
    int32_t index, offset;
    memcpy(len, v, 4);
    if (*len <= 12) return v + 4;
    memcpy(&index, v + 8, 4);
    memcpy(&offset, v + 12, 4);
    return (const uint8_t *)c->data[index].buf + offset;
}

static int disjoint(const Py_buffer *a, const Py_buffer *b) {
    const char *a0 = a->buf, *b0 = b->buf;
    return !a->obj || !b->obj || a0 + a->len <= b0 || b0 + b->len <= a0;
}

/* An output buffer of at least `need` bytes, aligned for its items (`align` bytes), and sharing
 * no memory with the input columns: a view checked once must not be overwritten mid-pass. */
static int writable(PyObject *obj, Py_buffer *out, Py_ssize_t need, size_t align, const Column *in1, const Column *in2) {
    if (PyObject_GetBuffer(obj, out, PyBUF_WRITABLE) < 0) return -1;
    const char *problem = NULL;
    if (out->len < need) problem = "output buffer too short";
    else if ((uintptr_t)out->buf % align) problem = "output buffer not aligned for its items";
    for (int k = 0; k < 2 && !problem; k++) {
        const Column *c = k ? in2 : in1;
        if (!c) continue;
        if (!disjoint(out, &c->views) || !disjoint(out, &c->validity)) problem = "output buffer overlaps an input";
        for (Py_ssize_t i = 0; i < c->ndata && !problem; i++)
            if (!disjoint(out, &c->data[i])) problem = "output buffer overlaps an input";
    }
    if (problem) {
        PyErr_SetString(PyExc_ValueError, problem);
        PyBuffer_Release(out);
        return -1;
    }
    return 0;
}

/* The two outputs of a pass over column c (see writable); on failure c and what was taken are
 * released. */
static int two_outputs(Column *c, PyObject *a_obj, Py_buffer *a, Py_ssize_t a_need, size_t a_align, PyObject *b_obj,
                       Py_buffer *b, Py_ssize_t b_need, size_t b_align) {
    if (writable(a_obj, a, a_need, a_align, c, NULL) < 0) {
        column_release(c);
        return -1;
    }
    if (writable(b_obj, b, b_need, b_align, c, NULL) < 0) {
        PyBuffer_Release(a);
        column_release(c);
        return -1;
    }
    return 0;
}

/* profile(column, n, chars, flags): for each row, chars[i] = its characters (UTF-8 lead bytes)
 * and flags[i] = its PLAIN and FORMULA bits; a null row gets 0 and 0. The byte loops carry no
 * state but an OR and a sum, so that gcc vectorises them: a loop that tracked the previous byte
 * (for double spaces) did not vectorise, and lost to polars on long cells. */
static PyObject *profile(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *spec, *chars_obj, *flags_obj;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "O!nOO", &PyTuple_Type, &spec, &n, &chars_obj, &flags_obj)) return NULL;
    Column c;
    if (column_get(spec, n, &c) < 0) return NULL;
    Py_buffer chars, flags;
    if (two_outputs(&c, chars_obj, &chars, 4 * n, 4, flags_obj, &flags, n, 1) < 0) return NULL;
    int32_t *nchars = chars.buf;
    uint8_t *flag = flags.buf;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++) {
        int32_t len;
        if (!valid(&c, i)) {
            nchars[i] = 0;
            flag[i] = 0;
            continue;
        }
        const uint8_t *s = cell(&c, i, &len);
        if (len == 0) {
            nchars[i] = 0;
            flag[i] = PLAIN;
            continue;
        }
        uint8_t bad = 0;
        int32_t count = 0;
        for (int32_t j = 0; j < len; j++) {
            uint8_t b = s[j];
            count += (b & 0xC0) != 0x80;
            /* not ASCII, or one of \t \n \v \f \r: normalise() would change it */
            bad |= (b >= 0x80) | ((uint8_t)(b - 9) <= 4);
        }
        for (int32_t j = 0; j + 1 < len; j++) bad |= (s[j] == ' ') & (s[j + 1] == ' ');
        bad |= (s[0] == ' ') | (s[len - 1] == ' ');
        uint8_t b0 = s[0];
        int formula = b0 == '=' || b0 == '+' || b0 == '-' || b0 == '@' || b0 == '\t' || b0 == '\r';
        nchars[i] = count;
        flag[i] = (uint8_t)((bad ? 0 : PLAIN) | (formula ? FORMULA : 0));
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&flags);
    PyBuffer_Release(&chars);
    column_release(&c);
    Py_RETURN_NONE;
}

/* The positions of h (n bytes) where needle (k >= 2 bytes) might start are those where both
 * its first and its last byte match: Wojciech Mula's "SIMD-friendly generic substring search"
 * tests 16 or 32 positions at once for both, and compares the rest only where both match.
 * glibc's memmem took 1.7 s for a million quotes in their source texts (it builds a skip table
 * per call), DuckDB's contains 0.85 CPU seconds. Returns the first match (*hit = 1), or else the
 * first position not yet tested; *hit = 2 when the candidates that failed cost their budget
 * (FAILED_BUDGET): a needle built to match its first and last byte everywhere ("aaa...ab" of
 * 2,000 bytes in megabytes of "a") made every position a memcmp of k bytes, n x k in all (108 s
 * for 200 such quotes in a 20 MB seed), and the caller finishes with memmem, linear in n + k. */
#define FAILED_BUDGET(n) (8 * (n) + 65536)
#define SCAN_BODY(VEC, SET1, LOADU, CMPEQ, AND, MOVEMASK, WIDTH)                                    \
    const VEC first = SET1((char)needle[0]);                                                        \
    const VEC last = SET1((char)needle[k - 1]);                                                     \
    size_t budget = FAILED_BUDGET(n);                                                               \
    /* Both loads stay inside h: the second ends at i + k - 1 + WIDTH <= n. */                     \
    for (; i + k - 1 + WIDTH <= n; i += WIDTH) {                                                    \
        VEC at_first = LOADU((const VEC *)(h + i));                                                 \
        VEC at_last = LOADU((const VEC *)(h + i + k - 1));                                          \
        unsigned mask = (unsigned)MOVEMASK(AND(CMPEQ(first, at_first), CMPEQ(last, at_last)));      \
        while (mask) {                                                                              \
            unsigned bit = (unsigned)__builtin_ctz(mask);                                           \
            if (memcmp(h + i + bit + 1, needle + 1, k - 2) == 0) {                                  \
                *hit = 1;                                                                           \
                return i + bit;                                                                     \
            }                                                                                       \
            if (budget < k) {                                                                       \
                *hit = 2;                                                                           \
                return i + bit;                                                                     \
            }                                                                                       \
            budget -= k;                                                                            \
            mask &= mask - 1;                                                                       \
        }                                                                                           \
    }                                                                                               \
    return i;

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2"))) static size_t scan_avx2(const uint8_t *h, size_t n, const uint8_t *needle, size_t k,
                                                        int *hit) {
    size_t i = 0;
    SCAN_BODY(__m256i, _mm256_set1_epi8, _mm256_loadu_si256, _mm256_cmpeq_epi8, _mm256_and_si256, _mm256_movemask_epi8, 32)
}
static size_t scan_sse2(const uint8_t *h, size_t n, const uint8_t *needle, size_t k, int *hit) {
    size_t i = 0;
    SCAN_BODY(__m128i, _mm_set1_epi8, _mm_loadu_si128, _mm_cmpeq_epi8, _mm_and_si128, _mm_movemask_epi8, 16)
}
static size_t (*scan)(const uint8_t *, size_t, const uint8_t *, size_t, int *) = scan_sse2;
#else
static size_t scan(const uint8_t *h, size_t n, const uint8_t *needle, size_t k, int *hit) {
    (void)h; (void)n; (void)needle; (void)k; (void)hit;
    return 0;
}
#endif

/* The offset of needle's first occurrence in h at or after `from`, or -1, in time linear in
 * n + k whatever the bytes: glibc's and the BSDs' memmem search two-way (Crochemore-Perrin). */
static Py_ssize_t find_linear(const uint8_t *h, size_t n, const uint8_t *needle, size_t k, size_t from) {
#if defined(_WIN32)
    for (size_t i = from; i + k <= n; i++)
        if (memcmp(h + i, needle, k) == 0) return (Py_ssize_t)i;
    return -1;
#else
    const uint8_t *p = memmem(h + from, n - from, needle, k);
    return p ? p - h : -1;
#endif
}

/* The offset of needle's (k >= 2 bytes) first occurrence in h (n bytes), or -1. */
static Py_ssize_t find(const uint8_t *h, size_t n, const uint8_t *needle, size_t k) {
    int hit = 0;
    size_t i = scan(h, n, needle, k, &hit);
    if (hit == 1) return (Py_ssize_t)i;
    if (hit == 2) return find_linear(h, n, needle, k, i);
    /* The positions the vector scan left (all of them, without one): the first byte by memchr,
     * within the same budget for the candidates that fail. */
    size_t budget = FAILED_BUDGET(n);
    while (i + k <= n) {
        const uint8_t *p = memchr(h + i, needle[0], n - k + 1 - i);
        if (!p) return -1;
        if (memcmp(p + 1, needle + 1, k - 1) == 0) return p - h;
        if (budget < k) return find_linear(h, n, needle, k, (size_t)(p - h));
        budget -= k;
        i = (size_t)(p - h) + 1;
    }
    return -1;
}

/* locate(hay, needle, n, order, start, at): at[i] = the byte offset in row i's haystack of the
 * first occurrence of its needle that begins at or after start[i] (0 without `start`), byte for
 * byte, as Python's bytes.find(needle, start): an empty needle is found at its start, none past
 * the end; -1 where there is none, and NULL_AT where either cell is null. Bytes are enough: in
 * valid UTF-8 a character sequence matches only at a character boundary. `order` (None, or n
 * uint32 row numbers, each row once) is the order to visit the rows in (checked: each row exactly
 * once): by source, each source's text is read from memory once for all of its claims and then
 * found in the cache (0.3 s against 0.65 to 0.75 s at a million claims). `start` is None or n
 * int32 offsets, none negative (checked); `at` takes n int32. */
#define NULL_AT (-2)
static inline Py_ssize_t row_at(const uint8_t *order, Py_ssize_t r) {
    uint32_t row;
    memcpy(&row, order + 4 * r, 4); /* any alignment */
    return (Py_ssize_t)row;
}

static inline int32_t int32_at(const uint8_t *buf, Py_ssize_t i) {
    int32_t v;
    memcpy(&v, buf + 4 * i, 4);
    return v;
}

/* The first occurrence of s (nlen bytes) in h (hlen bytes) at or after `from`, or -1. */
static int32_t locate_one(const uint8_t *h, int32_t hlen, const uint8_t *s, int32_t nlen, int32_t from) {
    if (from > hlen) return -1;
    if (nlen == 0) return from;
    if (nlen > hlen - from) return -1;
    if (nlen == 1) {
        const uint8_t *p = memchr(h + from, s[0], (size_t)(hlen - from));
        return p ? (int32_t)(p - h) : -1;
    }
    Py_ssize_t at = find(h + from, (size_t)(hlen - from), s, (size_t)nlen);
    return at < 0 ? -1 : (int32_t)(at + from);
}

static PyObject *locate(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *hay_spec, *needle_spec, *order_obj, *start_obj, *at_obj;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "O!O!nOOO", &PyTuple_Type, &hay_spec, &PyTuple_Type, &needle_spec, &n, &order_obj,
                          &start_obj, &at_obj))
        return NULL;
    Column hay, needle;
    if (column_get(hay_spec, n, &hay) < 0) return NULL;
    if (column_get(needle_spec, n, &needle) < 0) {
        column_release(&hay);
        return NULL;
    }
    Py_buffer order = {0}, start = {0}, at_buf;
    if (order_obj != Py_None) {
        if (PyObject_GetBuffer(order_obj, &order, PyBUF_SIMPLE) < 0) goto fail;
        if (order.len < 4 * n) {
            PyErr_SetString(PyExc_ValueError, "order shorter than the rows");
            goto fail;
        }
        /* Each row once: a row never visited would keep what the buffer held. */
        uint8_t *seen = PyMem_Calloc(n ? (size_t)n : 1, 1);
        if (!seen) {
            PyErr_NoMemory();
            goto fail;
        }
        const char *problem = NULL;
        for (Py_ssize_t i = 0; i < n && !problem; i++) {
            uint32_t row;
            memcpy(&row, (const uint8_t *)order.buf + 4 * i, 4);
            if ((Py_ssize_t)row >= n) problem = "order names a row past the end";
            else if (seen[row]++) problem = "order names a row twice";
        }
        PyMem_Free(seen);
        if (problem) {
            PyErr_SetString(PyExc_ValueError, problem);
            goto fail;
        }
    }
    if (start_obj != Py_None) {
        if (PyObject_GetBuffer(start_obj, &start, PyBUF_SIMPLE) < 0) goto fail;
        if (start.len < 4 * n) {
            PyErr_SetString(PyExc_ValueError, "start shorter than the rows");
            goto fail;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            if (int32_at(start.buf, i) < 0) {
                PyErr_SetString(PyExc_ValueError, "a negative start");
                goto fail;
            }
        }
    }
    if (writable(at_obj, &at_buf, 4 * n, 4, &hay, &needle) < 0) goto fail;
    int32_t *out = at_buf.buf;
    const uint8_t *visit = order.obj ? order.buf : NULL;
    const uint8_t *from = start.obj ? start.buf : NULL;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t r = 0; r < n; r++) {
        Py_ssize_t i = visit ? row_at(visit, r) : r;
        if (visit) {
            /* Rows visited out of order miss the cache: ask for the views of a row some way
             * ahead, and for the needle's bytes of a nearer one, whose view has arrived. */
            if (r + 16 < n) {
                PREFETCH((const uint8_t *)hay.views.buf + 16 * row_at(visit, r + 16));
                PREFETCH((const uint8_t *)needle.views.buf + 16 * row_at(visit, r + 16));
            }
            if (r + 8 < n && valid(&needle, row_at(visit, r + 8))) {
                int32_t ahead;
                PREFETCH(cell(&needle, row_at(visit, r + 8), &ahead));
            }
        }
        if (!valid(&hay, i) || !valid(&needle, i)) {
            out[i] = NULL_AT;
            continue;
        }
        int32_t hlen, nlen;
        const uint8_t *h = cell(&hay, i, &hlen);
        const uint8_t *s = cell(&needle, i, &nlen);
        out[i] = locate_one(h, hlen, s, nlen, from ? int32_at(from, i) : 0);
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&at_buf);
    if (start.obj) PyBuffer_Release(&start);
    if (order.obj) PyBuffer_Release(&order);
    column_release(&needle);
    column_release(&hay);
    Py_RETURN_NONE;
fail:
    if (start.obj) PyBuffer_Release(&start);
    if (order.obj) PyBuffer_Release(&order);
    column_release(&needle);
    column_release(&hay);
    return NULL;
}

/* normalise_spaces(column, n, offsets, data) -> bytes written: each row's text with every run of
 * Unicode White_Space made one space and the ends trimmed, and curly quotes, en and em dashes
 * made ASCII: normalise() but for NFKC, which stays in Python (unicodedata), as do the few texts
 * it would change. The same as polars' replace_all, strip_chars and replace_many
 * (normalise.normalise_series_nfkc), in one pass where those were three over 40 MB of seeds. offsets
 * gets n + 1 int64 offsets into data, which must hold as many bytes as the texts: no text grows.
 * A null row gives an empty text. */
static PyObject *normalise_spaces(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *spec, *offsets_obj, *data_obj;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "O!nOO", &PyTuple_Type, &spec, &n, &offsets_obj, &data_obj)) return NULL;
    Column c;
    if (column_get(spec, n, &c) < 0) return NULL;
    Py_ssize_t total = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        int32_t len;
        if (valid(&c, i)) {
            cell(&c, i, &len);
            total += len;
        }
    }
    Py_buffer offsets, data;
    if (two_outputs(&c, offsets_obj, &offsets, 8 * (n + 1), 8, data_obj, &data, total, 1) < 0) return NULL;
    int64_t *off = offsets.buf;
    uint8_t *out = data.buf;
    int64_t at = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++) {
        off[i] = at;
        int32_t len = 0;
        const uint8_t *s = valid(&c, i) ? cell(&c, i, &len) : NULL;
        int64_t start = at;
        int space = 0; /* a run of White_Space is pending */
        for (int32_t j = 0; j < len;) {
#if defined(__SSE2__) && defined(__GNUC__)
            /* The common case 16 bytes at a time: printable ASCII, with single spaces between
             * words, is copied as it is (0.16 s for the 41 MB of 10,000 seeds, byte by byte).
             * A space is copied only when the next byte is printable ASCII too, so a run of
             * White_Space always starts in the byte loop below. */
            if (j + 17 <= len) {
                const __m128i limit = _mm_set1_epi8(0x21), blank = _mm_set1_epi8(' ');
                __m128i v = _mm_loadu_si128((const __m128i *)(s + j));
                __m128i next = _mm_loadu_si128((const __m128i *)(s + j + 1));
                __m128i low = _mm_cmplt_epi8(v, limit); /* signed: a space, a control byte or not ASCII */
                __m128i sp = _mm_cmpeq_epi8(v, blank);
                __m128i bad = _mm_or_si128(_mm_andnot_si128(sp, low), _mm_and_si128(sp, _mm_cmplt_epi8(next, limit)));
                unsigned mask = (unsigned)_mm_movemask_epi8(bad);
                int32_t k = mask ? __builtin_ctz(mask) : 16;
                if (s[j] == ' ' && (space || at == start)) k = 0; /* a space to merge or trim */
                if (k) {
                    if (space && at > start) out[at++] = ' ';
                    space = 0;
                    memcpy(out + at, s + j, (size_t)k);
                    at += k;
                    j += k;
                    continue;
                }
            }
#endif
            uint8_t b = s[j];
            if (b > ' ' && b < 0x80) { /* the common case, a byte at a time: no call per byte */
                if (space && at > start) out[at++] = ' ';
                space = 0;
                out[at++] = b;
                j++;
                continue;
            }
            int white = 0, width = 1;
            uint8_t ascii = 0; /* the replacement, if any */
            if (b < 0x80) {
                white = b == ' ' || (b >= 9 && b <= 13);
            } else {
                width = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                if (j + width > len) width = len - j; /* cannot happen in valid UTF-8; stay inside */
                uint8_t b1 = width > 1 ? s[j + 1] : 0, b2 = width > 2 ? s[j + 2] : 0;
                if (b == 0xC2) {
                    white = b1 == 0x85 || b1 == 0xA0; /* U+0085, U+00A0 */
                } else if (b == 0xE1) {
                    white = b1 == 0x9A && b2 == 0x80; /* U+1680 */
                } else if (b == 0xE2 && b1 == 0x80) {
                    white = b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF; /* U+2000-200A, 2028, 2029, 202F */
                    if (b2 == 0x93 || b2 == 0x94) ascii = '-';                 /* U+2013, U+2014 */
                    else if (b2 >= 0x98 && b2 <= 0x9B) ascii = '\'';           /* U+2018-201B */
                    else if (b2 >= 0x9C && b2 <= 0x9F) ascii = '"';            /* U+201C-201F */
                } else if (b == 0xE2 && b1 == 0x81) {
                    white = b2 == 0x9F; /* U+205F */
                } else if (b == 0xE3) {
                    white = b1 == 0x80 && b2 == 0x80; /* U+3000 */
                }
            }
            if (white) {
                space = 1;
            } else {
                if (space && at > start) out[at++] = ' ';
                space = 0;
                if (ascii) {
                    out[at++] = ascii;
                } else {
                    for (int k = 0; k < width; k++) out[at++] = s[j + k];
                }
            }
            j += width;
        }
    }
    off[n] = at;
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&data);
    PyBuffer_Release(&offsets);
    column_release(&c);
    return PyLong_FromSsize_t((Py_ssize_t)at);
}

/* A seeded 64-bit hash of s[0, n): 8 bytes at a time, each mixed in by a multiply and a shift
 * (the seed is random per process, so rows in a pull request cannot be made to collide without
 * knowing it). */
static inline uint64_t hash_bytes(const uint8_t *s, size_t n, uint64_t seed) {
    const uint64_t m = 0x9E3779B97F4A7C15ull;
    uint64_t h = seed ^ (n * m);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * m;
        h ^= h >> 29;
    }
    if (i < n) {
        uint64_t w = 0;
        memcpy(&w, s + i, n - i);
        h = (h ^ w) * m;
        h ^= h >> 29;
    }
    h = (h ^ (h >> 32)) * 0xD6E8FEB86659FD93ull;
    return h ^ (h >> 32);
}

typedef struct {
    uint32_t hash; /* the hash's low 32 bits */
    uint32_t code; /* the distinct value's code + 1; 0: an empty slot */
} Slot;

/* A distinct value, kept here rather than read where it lies: the rows' strings lie all over
 * memory, and comparing with them there missed the cache on every probe (0.3 s for a million
 * statistic ids, against polars' 0.07 for their unique). The length and the first 12 bytes,
 * zero-padded, are compared as two words; any bytes past those are in an arena of their own. */
typedef struct {
    uint64_t key[2];
    size_t rest; /* where bytes 12.. lie in the arena */
} Value;

static inline void value_key(const uint8_t *s, int32_t len, uint64_t key[2]) {
    uint8_t k[16] = {0};
    memcpy(k, &len, 4);
    memcpy(k + 4, s, len < 12 ? (size_t)len : 12);
    memcpy(key, k, 16);
}

#define NULL_CODE UINT32_MAX

/* groups(chunks, n, seed, codes) -> firsts: over a column given as a tuple of (column, rows)
 * chunks of n rows in all, codes[i] = the code of row i's value, the values numbered 0, 1, ...
 * in the order they first occur (NULL_CODE for a null row), and firsts, as bytes, the uint32 row
 * of each value's first occurrence. Chunk by chunk: values are kept here, so a chunk's buffers
 * are let go once it is done, and polars need not rechunk (0.03 to 0.09 s at a million rows). A column's lookups (the parsed value
 * texts, the periods' days, the rows of another table) are then worked out once per distinct value
 * and gathered back by code: polars' unique and join of the million value texts took 0.55 CPU
 * seconds. The table is open-addressed, at most half full. */
static PyObject *groups(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *chunks, *codes_obj;
    Py_ssize_t n;
    unsigned long long seed;
    if (!PyArg_ParseTuple(args, "O!nKO", &PyTuple_Type, &chunks, &n, &seed, &codes_obj)) return NULL;
    if (n < 0 || n >= (Py_ssize_t)NULL_CODE) {
        PyErr_SetString(PyExc_ValueError, "too many rows for 32-bit codes");
        return NULL;
    }
    Py_buffer codes_buf;
    if (PyObject_GetBuffer(codes_obj, &codes_buf, PyBUF_WRITABLE) < 0) return NULL;
    if (codes_buf.len < 4 * n || (uintptr_t)codes_buf.buf % 4) {
        PyErr_SetString(PyExc_ValueError, "codes buffer too short or not aligned");
        PyBuffer_Release(&codes_buf);
        return NULL;
    }
    uint32_t *codes = codes_buf.buf;
    size_t cap = 1024, have = 64, d = 0, arena_cap = 4096, arena_used = 0;
    Slot *slots = PyMem_RawCalloc(cap, sizeof(Slot));
    Value *values = PyMem_RawMalloc(have * sizeof(Value));
    uint32_t *firsts = PyMem_RawMalloc(have * sizeof(uint32_t));
    uint8_t *arena = PyMem_RawMalloc(arena_cap);
    int failed = !slots || !values || !firsts || !arena;
    if (failed) PyErr_NoMemory();
    Py_ssize_t base = 0;
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(chunks) && !failed; k++) {
        PyObject *spec;
        Py_ssize_t rows;
        Column c;
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(chunks, k), "O!n", &PyTuple_Type, &spec, &rows) ||
            column_get(spec, rows, &c) < 0) {
            failed = 1;
            break;
        }
        if (rows > n - base) {
            column_release(&c);
            PyErr_SetString(PyExc_ValueError, "chunks longer than the rows");
            failed = 1;
            break;
        }
        if (!disjoint(&codes_buf, &c.views) || !disjoint(&codes_buf, &c.validity)) {
            column_release(&c);
            PyErr_SetString(PyExc_ValueError, "codes buffer overlaps an input");
            failed = 1;
            break;
        }
        /* The chunk's hashes first, so that each row's slot can be asked for some rows ahead:
         * the table (a megabyte for 50,000 values) misses the cache on most probes. */
        uint32_t *hashes = PyMem_RawMalloc((rows ? (size_t)rows : 1) * sizeof(uint32_t));
        int nomem = !hashes;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t r = 0; r < rows && !nomem; r++) {
            int32_t len;
            const uint8_t *s = valid(&c, r) ? cell(&c, r, &len) : NULL;
            hashes[r] = s ? (uint32_t)hash_bytes(s, (size_t)len, seed) : 0;
        }
        for (Py_ssize_t r = 0; r < rows && !nomem; r++) {
            Py_ssize_t i = base + r;
            if (r + 8 < rows) PREFETCH(&slots[hashes[r + 8] & (cap - 1)]);
            if (!valid(&c, r)) {
                codes[i] = NULL_CODE;
                continue;
            }
            int32_t len;
            const uint8_t *s = cell(&c, r, &len);
            uint64_t key[2];
            value_key(s, len, key);
            const uint8_t *tail = s + 12;
            size_t tail_len = len > 12 ? (size_t)len - 12 : 0;
            uint32_t h = hashes[r];
            size_t mask = cap - 1, at = h & mask;
            for (;;) {
                const Slot *slot = &slots[at];
                if (!slot->code) break;
                const Value *v = &values[slot->code - 1];
                if (slot->hash == h && v->key[0] == key[0] && v->key[1] == key[1] &&
                    (!tail_len || memcmp(arena + v->rest, tail, tail_len) == 0))
                    break;
                at = (at + 1) & mask;
            }
            if (slots[at].code) {
                codes[i] = slots[at].code - 1;
                continue;
            }
            /* A new value: keep its bytes and first row, and grow the table past half full. */
            if (d == have) {
                Value *v2 = PyMem_RawRealloc(values, 2 * have * sizeof(Value));
                if (v2) values = v2;
                uint32_t *f2 = v2 ? PyMem_RawRealloc(firsts, 2 * have * sizeof(uint32_t)) : NULL;
                if (f2) firsts = f2;
                if (!v2 || !f2) {
                    nomem = 1;
                    break;
                }
                have *= 2;
            }
            if (arena_used + tail_len > arena_cap) {
                while (arena_used + tail_len > arena_cap) arena_cap *= 2;
                uint8_t *a2 = PyMem_RawRealloc(arena, arena_cap);
                if (!a2) {
                    nomem = 1;
                    break;
                }
                arena = a2;
            }
            memcpy(arena + arena_used, tail, tail_len);
            values[d].key[0] = key[0];
            values[d].key[1] = key[1];
            values[d].rest = arena_used;
            arena_used += tail_len;
            firsts[d] = (uint32_t)i;
            codes[i] = (uint32_t)d;
            slots[at].hash = h;
            slots[at].code = (uint32_t)++d;
            if (2 * d > cap) {
                size_t cap2 = 2 * cap;
                Slot *grown = PyMem_RawCalloc(cap2, sizeof(Slot));
                if (!grown) {
                    nomem = 1;
                    break;
                }
                for (size_t j = 0; j < cap; j++) {
                    if (!slots[j].code) continue;
                    size_t to = slots[j].hash & (cap2 - 1);
                    while (grown[to].code) to = (to + 1) & (cap2 - 1);
                    grown[to] = slots[j];
                }
                PyMem_RawFree(slots);
                slots = grown;
                cap = cap2;
            }
        }
        Py_END_ALLOW_THREADS
        PyMem_RawFree(hashes);
        column_release(&c);
        if (nomem) {
            PyErr_NoMemory();
            failed = 1;
        }
        base += rows;
    }
    if (!failed && base != n) {
        PyErr_SetString(PyExc_ValueError, "chunks shorter than the rows");
        failed = 1;
    }
    PyObject *out = failed ? NULL : PyBytes_FromStringAndSize((const char *)firsts, (Py_ssize_t)(4 * d));
    PyMem_RawFree(slots);
    PyMem_RawFree(values);
    PyMem_RawFree(firsts);
    PyMem_RawFree(arena);
    PyBuffer_Release(&codes_buf);
    return out;
}

static PyMethodDef methods[] = {
    {"profile", profile, METH_VARARGS, "Character counts and PLAIN/FORMULA flags of each cell."},
    {"locate", locate, METH_VARARGS, "Where each row's needle first occurs in its haystack, from a start."},
    {"normalise_spaces", normalise_spaces, METH_VARARGS, "Texts with White_Space runs made one space, trimmed, quotes and dashes ASCII."},
    {"groups", groups, METH_VARARGS, "Each row's code of its distinct value, and each value's first row."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_cells", NULL, -1, methods};

PyMODINIT_FUNC PyInit__cells(void) {
#if defined(__x86_64__) && defined(__GNUC__)
    if (__builtin_cpu_supports("avx2")) {
        scan = scan_avx2;
    }
#endif
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    if (PyModule_AddIntConstant(m, "PLAIN", PLAIN) < 0 || PyModule_AddIntConstant(m, "FORMULA", FORMULA) < 0 ||
        PyModule_AddIntConstant(m, "NULL_AT", NULL_AT) < 0 ||
        PyModule_AddIntConstant(m, "VERSION", CELLS_VERSION) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
