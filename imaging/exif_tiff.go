package imaging

import (
	"encoding/binary"
	"errors"
)

// The one EXIF reader: a bounded walk of the TIFF structure of an EXIF block.
// Orientation (header.go), the metadata panel (exif.go) and the evidence
// checks (EXIFThumbnail, ReadEXIF) all read through readTIFF. It never
// allocates more than the block's own entries need, never follows an offset
// outside the block, visits at most maxEXIFIFDs IFDs and maxEXIFEntries
// entries, and follows each IFD chain's next-pointer at most once.

// Budgets for one EXIF block. Real files have 2–5 IFDs and under 200 entries.
const (
	maxEXIFIFDs    = 16
	maxEXIFEntries = 4096
)

var (
	errEXIFHeader  = errors.New("EXIF: bad TIFF header")
	errEXIFLayout  = errors.New("EXIF: IFD outside the block")
	errEXIFComplex = errors.New("EXIF: too many IFDs or entries")
)

// exifIFDKind says which child IFDs an IFD may point to.
type exifIFDKind int

const (
	ifdKindRoot exifIFDKind = iota // IFD0, IFD1, …
	ifdKindExif
	ifdKindGPS
	ifdKindInterop
)

// Pointer tags to child IFDs.
const (
	tagExifIFD    = 0x8769
	tagInteropIFD = 0xA005
)

// exifChildTags maps a kind to its child-IFD pointer tags.
func exifChildTags(k exifIFDKind) map[uint16]exifIFDKind {
	switch k {
	case ifdKindRoot:
		return map[uint16]exifIFDKind{tagExifIFD: ifdKindExif, tagGPSInfo: ifdKindGPS}
	case ifdKindExif:
		return map[uint16]exifIFDKind{tagInteropIFD: ifdKindInterop}
	}
	return nil
}

// TIFF field types read here, and the size of one unit of each type.
const (
	tiffByte      = 1
	tiffASCII     = 2
	tiffShort     = 3
	tiffLong      = 4
	tiffUndefined = 7
)

var tiffTypeSize = map[uint16]uint64{1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8}

// tiffEntry is one IFD entry. Value holds the value's bytes when the type is
// known and the value lies inside the block (a sub-slice of it), else nil.
type tiffEntry struct {
	Tag, Type uint16
	Count     uint32
	Value     []byte
}

// tiffIFD is one IFD visited: its kind, its position in its chain (1 for
// IFD1, the thumbnail's) and its entries.
type tiffIFD struct {
	Kind    exifIFDKind
	Index   int
	Entries []tiffEntry
}

// tiffBlock is what readTIFF read of an EXIF block.
type tiffBlock struct {
	bo   binary.ByteOrder
	IFDs []tiffIFD
}

// readTIFF walks the IFD chain from IFD0 and, from each IFD, its standard
// child IFDs and their chains. On an error it returns what it read before it
// (IFD0 alone may be readable in a block whose other IFDs are not).
func readTIFF(block []byte) (*tiffBlock, error) {
	if len(block) < 8 {
		return nil, errEXIFHeader
	}
	t := &tiffBlock{}
	switch string(block[:4]) {
	case "II*\x00":
		t.bo = binary.LittleEndian
	case "MM\x00*":
		t.bo = binary.BigEndian
	default:
		return nil, errEXIFHeader
	}
	bo := t.bo
	type queued struct {
		offset uint32
		kind   exifIFDKind
		index  int
	}
	queue := []queued{{bo.Uint32(block[4:]), ifdKindRoot, 0}}
	visitedNext := map[uint32]bool{}
	entries := 0
	for len(queue) > 0 {
		q := queue[0]
		queue = queue[1:]
		if len(t.IFDs) == maxEXIFIFDs {
			return t, errEXIFComplex
		}
		p := uint64(q.offset)
		if p+2 > uint64(len(block)) {
			return t, errEXIFLayout
		}
		n := int(bo.Uint16(block[p:]))
		if entries += n; entries > maxEXIFEntries {
			return t, errEXIFComplex
		}
		end := p + 2 + 12*uint64(n)
		if end+4 > uint64(len(block)) {
			return t, errEXIFLayout
		}
		ifd := tiffIFD{Kind: q.kind, Index: q.index, Entries: make([]tiffEntry, n)}
		children := exifChildTags(q.kind)
		for i := range ifd.Entries {
			e := int(p) + 2 + 12*i
			en := tiffEntry{Tag: bo.Uint16(block[e:]), Type: bo.Uint16(block[e+2:]), Count: bo.Uint32(block[e+4:])}
			if size, ok := tiffTypeSize[en.Type]; ok {
				switch total := size * uint64(en.Count); {
				case total <= 4:
					en.Value = block[e+8 : e+8+int(total)]
				default:
					if off := uint64(bo.Uint32(block[e+8:])); off+total <= uint64(len(block)) {
						en.Value = block[off : off+total]
					}
				}
			}
			ifd.Entries[i] = en
			if kind, ok := children[en.Tag]; ok {
				queue = append(queue, queued{bo.Uint32(block[e+8:]), kind, 0})
			}
		}
		t.IFDs = append(t.IFDs, ifd)
		if next := bo.Uint32(block[end:]); next != 0 && !visitedNext[next] {
			visitedNext[next] = true
			queue = append(queue, queued{next, q.kind, q.index + 1})
		}
	}
	return t, nil
}

// ifd returns the first IFD of kind k at chain position index, or nil.
func (t *tiffBlock) ifd(k exifIFDKind, index int) *tiffIFD {
	for i := range t.IFDs {
		if t.IFDs[i].Kind == k && t.IFDs[i].Index == index {
			return &t.IFDs[i]
		}
	}
	return nil
}

// entry returns the first entry with tag in ifd, or nil.
func (d *tiffIFD) entry(tag uint16) *tiffEntry {
	if d == nil {
		return nil
	}
	for i := range d.Entries {
		if d.Entries[i].Tag == tag {
			return &d.Entries[i]
		}
	}
	return nil
}

// count returns how many entries with tag ifd has.
func (d *tiffIFD) count(tag uint16) (n int) {
	if d == nil {
		return 0
	}
	for _, e := range d.Entries {
		if e.Tag == tag {
			n++
		}
	}
	return n
}

// uint returns the first value of a SHORT or LONG entry.
func (t *tiffBlock) uint(e *tiffEntry) (uint32, bool) {
	if e == nil || e.Count == 0 || e.Value == nil {
		return 0, false
	}
	switch e.Type {
	case tiffShort:
		return uint32(t.bo.Uint16(e.Value)), true
	case tiffLong:
		return t.bo.Uint32(e.Value), true
	}
	return 0, false
}

// text returns an ASCII (or BYTE/UNDEFINED) entry's bytes; ok is false for
// another type or a value outside the block.
func (t *tiffBlock) text(e *tiffEntry) (string, bool) {
	if e == nil || e.Value == nil {
		return "", false
	}
	switch e.Type {
	case tiffASCII, tiffByte, tiffUndefined:
		return string(e.Value), true
	}
	return "", false
}

// thumbnail returns the offset and length of IFD1's JPEG thumbnail when both
// tags are there once, as single LONGs (their type in the TIFF standard),
// describing a non-empty range inside a block of n bytes.
func (t *tiffBlock) thumbnail(n int) (off, length uint32, ok bool) {
	ifd1 := t.ifd(ifdKindRoot, 1)
	if ifd1.count(tagThumbnailOffset) != 1 || ifd1.count(tagThumbnailLength) != 1 {
		return 0, 0, false
	}
	oe, le := ifd1.entry(tagThumbnailOffset), ifd1.entry(tagThumbnailLength)
	if oe.Type != tiffLong || le.Type != tiffLong || oe.Count != 1 || le.Count != 1 {
		return 0, 0, false
	}
	off, ok1 := t.uint(oe)
	length, ok2 := t.uint(le)
	if !ok1 || !ok2 || length == 0 || uint64(off)+uint64(length) > uint64(n) {
		return 0, 0, false
	}
	return off, length, true
}

// hasThumbnailTags reports whether IFD1 has either thumbnail tag.
func (t *tiffBlock) hasThumbnailTags() bool {
	ifd1 := t.ifd(ifdKindRoot, 1)
	return ifd1.entry(tagThumbnailOffset) != nil || ifd1.entry(tagThumbnailLength) != nil
}

// exifOrientationFromTIFF returns the Orientation tag (0x0112) of IFD0 in a
// TIFF-structured EXIF block, or 1 when it is absent or invalid (not a
// single SHORT of 1–8). IFD0 counts even when a later IFD is malformed.
func exifOrientationFromTIFF(block []byte) int {
	t, _ := readTIFF(block)
	if t == nil {
		return 1
	}
	e := t.ifd(ifdKindRoot, 0).entry(tagOrientation)
	if e == nil || e.Type != tiffShort || e.Count != 1 {
		return 1
	}
	if o, ok := t.uint(e); ok && o >= 1 && o <= 8 {
		return int(o)
	}
	return 1
}
