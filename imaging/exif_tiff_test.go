package imaging

import (
	"encoding/binary"
	"errors"
	"runtime"
	"testing"
)

// rawIFDChain is a little-endian block of n empty IFDs, each linking to the
// next; the last links to loopTo (0 ends the chain).
func rawIFDChain(n int, loopTo uint32) []byte {
	b := []byte("II*\x00")
	b = binary.LittleEndian.AppendUint32(b, 8)
	for i := 0; i < n; i++ {
		next := uint32(8 + 6*(i+1))
		if i == n-1 {
			next = loopTo
		}
		b = binary.LittleEndian.AppendUint16(b, 0)
		b = binary.LittleEndian.AppendUint32(b, next)
	}
	return b
}

func TestReadTIFFBounds(t *testing.T) {
	selfGPS := buildTIFF(tiffLayout{ifd0: []tiffField{longField(tagGPSInfo, 8)}})
	outsideChild := buildTIFF(tiffLayout{ifd0: []tiffField{longField(0x8769, 50_000)}})
	overlong := rawIFDChain(1, 0)
	binary.LittleEndian.PutUint16(overlong[8:], 3) // 3 entries, none there
	tests := []struct {
		name  string
		block []byte
		want  error
	}{
		{"valid full block", fullEXIF(1), nil},
		{"valid big-endian block", fullEXIFLayout(1, true), nil},
		{"empty", nil, errEXIFHeader},
		{"7 bytes", []byte("II*\x00\x08\x00\x00"), errEXIFHeader},
		{"bad byte order", []byte("XX*\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00"), errEXIFHeader},
		{"IFD0 offset past the end", []byte("II*\x00\xff\x00\x00\x00"), errEXIFLayout},
		{"entries past the end", overlong, errEXIFLayout},
		{"child IFD past the end", outsideChild, errEXIFLayout},
		{"16 IFDs", rawIFDChain(16, 0), nil},
		{"17 IFDs", rawIFDChain(17, 0), errEXIFComplex},
		{"chain loops to IFD0", rawIFDChain(3, 8), nil},
		{"chain loops to itself", rawIFDChain(1, 8), nil},
		{"GPS pointer to IFD0", selfGPS, nil},
		{"too many entries", buildTIFF(tiffLayout{ifd0: make([]tiffField, maxEXIFEntries+1)}), errEXIFComplex},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readTIFF(tc.block)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestReadTIFFFindsThumbnail(t *testing.T) {
	block := fullEXIF(1)
	tb, err := readTIFF(block)
	if err != nil {
		t.Fatal(err)
	}
	off, length, ok := tb.thumbnail(len(block))
	if !ok || length != 1004 {
		t.Fatalf("thumbnail %d+%d (%v) not found in a block of %d", off, length, ok, len(block))
	}
	if _, _, ok := tb.thumbnail(int(off) + 1003); ok {
		t.Error("a thumbnail one byte past the block counts as inside")
	}
}

// TestReadTIFFValuesStayInTheBlock: an entry whose value lies outside the
// block has no value (and costs no allocation), whatever its count claims.
func TestReadTIFFValuesStayInTheBlock(t *testing.T) {
	block := buildTIFF(tiffLayout{ifd0: []tiffField{longField(tagMake, 7)}})
	// Make as ASCII with a count of 4 GiB at offset 8.
	binary.LittleEndian.PutUint16(block[8+2+2:], tiffASCII)
	binary.LittleEndian.PutUint32(block[8+2+4:], 0xFFFFFFFF)
	tb, err := readTIFF(block)
	if err != nil {
		t.Fatal(err)
	}
	e := tb.ifd(ifdKindRoot, 0).entry(tagMake)
	if e == nil || e.Value != nil {
		t.Fatalf("entry %+v: a value outside the block was read", e)
	}
	if _, ok := tb.text(e); ok {
		t.Error("text of an out-of-block value")
	}
}

// No input makes ReadMetadata allocate much more than the input itself.
func TestReadMetadataBoundedAllocation(t *testing.T) {
	for _, tc := range metadataCases() {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		ReadMetadata(tc.data)
		runtime.ReadMemStats(&after)
		if d := after.TotalAlloc - before.TotalAlloc; d > uint64(8<<20+2*len(tc.data)) {
			t.Errorf("%s: allocated %d bytes", tc.name, d)
		}
	}
}
