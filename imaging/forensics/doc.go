// Package forensics computes the evidence checks an investigator looks at
// for one image: the JPEG's quality (the IJG-equivalent quality of its luma
// quantization table), chroma subsampling and progressive coding; EXIF
// tells (an image editor named in Software, ProcessingSoftware or XMP
// CreatorTool; an embedded thumbnail that shows another picture; GPS data;
// no camera metadata at all); the AAMVA PDF417 on the back of a licence,
// compared with the document data the verification service read; and
// error level analysis. Everything works in memory on the bytes given;
// nothing here logs, writes or keeps what it reads, and nothing imports
// Fyne.
package forensics
