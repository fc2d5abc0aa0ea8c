package imaging

import (
	"encoding/binary"
	"errors"
)

// go-exif trusts the counts in an EXIF block: it allocates what a thumbnail
// length claims (up to 4 GiB) and follows every IFD it is pointed at. Before
// a block reaches it, checkEXIFLayout walks the same IFDs in the same way,
// with budgets, and reports the thumbnail's place.

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

// exifIFDKind says which child IFDs an IFD may point to (go-exif's
// standard mapping).
type exifIFDKind int

const (
	ifdKindRoot exifIFDKind = iota // IFD0, IFD1, …
	ifdKindExif
	ifdKindGPS
	ifdKindInterop
)

// exifChildTags maps a kind to its child-IFD pointer tags.
func exifChildTags(k exifIFDKind) map[uint16]exifIFDKind {
	switch k {
	case ifdKindRoot:
		return map[uint16]exifIFDKind{0x8769: ifdKindExif, tagGPSInfo: ifdKindGPS}
	case ifdKindExif:
		return map[uint16]exifIFDKind{0xA005: ifdKindInterop}
	}
	return nil
}

// exifLayout is what checkEXIFLayout learned.
type exifLayout struct {
	// Positions in the block of the IFD1 thumbnail tags' entries, and the
	// values of the last of each.
	thumbOffsetEntries, thumbLengthEntries []int
	thumbOffset, thumbLength               uint32
	thumbTagsWellFormed                    bool // all single LONGs
}

// thumbnailInBlock reports whether both thumbnail tags are well formed and
// describe a non-empty thumbnail inside a block of size n.
func (l exifLayout) thumbnailInBlock(n int) bool {
	return len(l.thumbOffsetEntries) == 1 && len(l.thumbLengthEntries) == 1 && l.thumbTagsWellFormed &&
		l.thumbLength > 0 && uint64(l.thumbOffset)+uint64(l.thumbLength) <= uint64(n)
}

// hasThumbnailTags reports whether IFD1 has either thumbnail tag.
func (l exifLayout) hasThumbnailTags() bool {
	return len(l.thumbOffsetEntries) > 0 || len(l.thumbLengthEntries) > 0
}

// checkEXIFLayout walks the IFDs go-exif's Collect would visit: the chain
// from IFD0 (a next-pointer seen before is not followed again) and, from
// each IFD, its standard child IFDs and their chains.
func checkEXIFLayout(block []byte) (exifLayout, error) {
	l := exifLayout{thumbTagsWellFormed: true}
	if len(block) < 8 {
		return l, errEXIFHeader
	}
	var bo binary.ByteOrder
	switch string(block[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return l, errEXIFHeader
	}

	type queued struct {
		offset uint32
		kind   exifIFDKind
		index  int // position in its chain; 1 for IFD1
	}
	queue := []queued{{bo.Uint32(block[4:]), ifdKindRoot, 0}}
	visitedNext := map[uint32]bool{}
	ifds, entries := 0, 0
	for len(queue) > 0 {
		q := queue[0]
		queue = queue[1:]
		if ifds++; ifds > maxEXIFIFDs {
			return l, errEXIFComplex
		}
		p := uint64(q.offset)
		if p+2 > uint64(len(block)) {
			return l, errEXIFLayout
		}
		n := int(bo.Uint16(block[p:]))
		if entries += n; entries > maxEXIFEntries {
			return l, errEXIFComplex
		}
		end := p + 2 + 12*uint64(n)
		if end+4 > uint64(len(block)) {
			return l, errEXIFLayout
		}
		children := exifChildTags(q.kind)
		for i := 0; i < n; i++ {
			e := int(p) + 2 + 12*i
			tag := bo.Uint16(block[e:])
			value := bo.Uint32(block[e+8:])
			if kind, ok := children[tag]; ok {
				queue = append(queue, queued{value, kind, 0})
			}
			if q.kind == ifdKindRoot && q.index == 1 && (tag == tagThumbnailOffset || tag == tagThumbnailLength) {
				typ, count := bo.Uint16(block[e+2:]), bo.Uint32(block[e+4:])
				if typ != 4 || count != 1 {
					l.thumbTagsWellFormed = false
				}
				switch tag {
				case tagThumbnailOffset:
					l.thumbOffsetEntries, l.thumbOffset = append(l.thumbOffsetEntries, e), value
				case tagThumbnailLength:
					l.thumbLengthEntries, l.thumbLength = append(l.thumbLengthEntries, e), value
				}
			}
		}
		if next := bo.Uint32(block[end:]); next != 0 && !visitedNext[next] {
			visitedNext[next] = true
			queue = append(queue, queued{next, q.kind, q.index + 1})
		}
	}
	return l, nil
}

// withoutThumbnailTags returns a copy of block in which the IFD1 thumbnail
// tags are renamed to an unknown tag, so go-exif does not read (or allocate)
// a thumbnail that is not in the block.
func withoutThumbnailTags(block []byte, l exifLayout) []byte {
	c := append([]byte(nil), block...)
	for _, e := range append(append([]int(nil), l.thumbOffsetEntries...), l.thumbLengthEntries...) {
		c[e], c[e+1] = 0xFF, 0xFF // tag 0xFFFF is unknown: skipped
	}
	return c
}
