// Declarations shared by the zxing-cpp shim (zxing_shim.cpp) and its cgo
// caller (zxing.go). Plain C: cgo cannot see C++.

#ifndef DOCV_ZXING_SHIM_H
#define DOCV_ZXING_SHIM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

// docv_symbol is one decoded PDF417: its raw bytes (malloc'd) and the
// symbol's orientation in degrees as zxing-cpp reports it.
typedef struct {
	unsigned char *data;
	size_t len;
	int orientation;
} docv_symbol;

// Flags for docv_read_pdf417.
enum {
	DOCV_TRY_HARDER = 1,
	DOCV_TRY_ROTATE = 2
};

// docv_read_pdf417 finds and decodes the PDF417 symbols in a width×height
// 8-bit luminance image whose rows are stride bytes apart. It returns the
// number of symbols stored in *out (0 when none), or -1 when the library
// failed (out of memory, an internal error); *out is then NULL. The caller
// frees a non-NULL *out with docv_free_symbols. The image is only read.
int docv_read_pdf417(const unsigned char *lum, int width, int height, int stride, int flags, int max_symbols,
                     docv_symbol **out);

// docv_free_symbols frees what docv_read_pdf417 returned.
void docv_free_symbols(docv_symbol *syms, int n);

#ifdef __cplusplus
}
#endif

#endif
