//go:build cgo && zxing

// A C entry point over zxing-cpp 1.4's C++ API, so that Go can call it
// through cgo. It reads only PDF417, from 8-bit luminance, and copies each
// symbol's raw bytes into malloc'd memory that Go frees. No exception
// crosses into C: any failure is reported as -1.

#include "zxing_shim.h"

#include <cstdlib>
#include <cstring>
#include <new>

// Results are read as raw bytes only; this silences the 1.4 header's
// transition notice about text().
#define ZX_USE_UTF8 1
#include <ReadBarcode.h>

extern "C" int docv_read_pdf417(const unsigned char *lum, int width, int height, int stride, int flags,
                                int max_symbols, docv_symbol **out) {
	*out = nullptr;
	if (lum == nullptr || width <= 0 || height <= 0 || stride < width || max_symbols <= 0 || max_symbols > 255) {
		return -1;
	}
	try {
		ZXing::DecodeHints hints;
		hints.setFormats(ZXing::BarcodeFormat::PDF417);
		hints.setTryHarder((flags & DOCV_TRY_HARDER) != 0);
		hints.setTryRotate((flags & DOCV_TRY_ROTATE) != 0);
		// The caller chooses the scale: no image pyramid here.
		hints.setTryDownscale(false);
		hints.setMaxNumberOfSymbols(static_cast<uint8_t>(max_symbols));
		ZXing::ImageView view(lum, width, height, ZXing::ImageFormat::Lum, stride);
		ZXing::Results results = ZXing::ReadBarcodes(view, hints);

		int n = 0;
		for (const auto &r : results) {
			if (r.isValid() && r.format() == ZXing::BarcodeFormat::PDF417) {
				n++;
			}
		}
		if (n == 0) {
			return 0;
		}
		docv_symbol *syms = static_cast<docv_symbol *>(std::calloc(static_cast<size_t>(n), sizeof(docv_symbol)));
		if (syms == nullptr) {
			return -1;
		}
		int i = 0;
		for (const auto &r : results) {
			if (!r.isValid() || r.format() != ZXing::BarcodeFormat::PDF417) {
				continue;
			}
			const auto &b = r.bytes();
			syms[i].len = b.size();
			syms[i].orientation = r.orientation();
			if (!b.empty()) {
				syms[i].data = static_cast<unsigned char *>(std::malloc(b.size()));
				if (syms[i].data == nullptr) {
					docv_free_symbols(syms, n);
					return -1;
				}
				std::memcpy(syms[i].data, b.data(), b.size());
			}
			i++;
		}
		*out = syms;
		return n;
	} catch (...) {
		return -1;
	}
}

extern "C" void docv_free_symbols(docv_symbol *syms, int n) {
	if (syms == nullptr) {
		return;
	}
	for (int i = 0; i < n; i++) {
		std::free(syms[i].data);
	}
	std::free(syms);
}
