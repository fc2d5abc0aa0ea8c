package casefile

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want Format
	}{
		{"jpeg", jpegBytes, FormatJPEG},
		{"png", pngBytes, FormatPNG},
		{"pdf at start", pdfBytes, FormatPDF},
		{"pdf after junk", append(bytes.Repeat([]byte{' '}, 500), pdfBytes...), FormatPDF},
		{"pdf too far in", append(bytes.Repeat([]byte{' '}, 1100), pdfBytes...), FormatUnknown},
		{"html", htmlBytes, FormatUnknown},
		{"two bytes of jpeg", []byte{0xFF, 0xD8}, FormatUnknown},
		{"png signature cut", pngBytes[:7], FormatUnknown},
		{"empty", nil, FormatUnknown},
	}
	for _, tt := range tests {
		if got := Sniff(tt.data); got != tt.want {
			t.Errorf("%s: Sniff = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		path    string
		head    []byte
		role    Role
		capture int
		format  Format
		errMsg  string // "" for no error
	}{
		// The names RiskOS uses (fetch/simulator/zipgen.go).
		{"user_uploaded/document_verification/documentfrontDoc_Front_1_blob.jpg", jpegBytes, RoleFront, 1, FormatJPEG, ""},
		{"user_uploaded/document_verification/documentbackDoc_Back_1_blob.jpg", jpegBytes, RoleBack, 1, FormatJPEG, ""},
		{"user_uploaded/vouched_id_verification/Doc_Selfie_1_blob.jpg", jpegBytes, RoleSelfie, 1, FormatJPEG, ""},
		{"case_attachments/identity.pdf", pdfBytes, RoleAttachment, 0, FormatPDF, ""},
		{"case_attachments/additional_doc.pdf", pdfBytes, RoleAttachment, 0, FormatPDF, ""},
		// Re-captures, case, other spellings.
		{"user_uploaded/document_verification/documentfrontDoc_Front_2_blob.jpg", jpegBytes, RoleFront, 2, FormatJPEG, ""},
		{"USER_UPLOADED/DOCUMENT_VERIFICATION/DOCUMENTFRONTDOC_FRONT_3_BLOB.JPG", jpegBytes, RoleFront, 3, FormatJPEG, ""},
		{"user_uploaded/vouched_id_verification/Doc_Selfie_2.jpeg", jpegBytes, RoleSelfie, 2, FormatJPEG, ""},
		{"user_uploaded/vouched_id_verification/face_1_blob.jpg", jpegBytes, RoleSelfie, 1, FormatJPEG, ""},
		{"face_1_blob.jpg", jpegBytes, RoleImage, 1, FormatJPEG, ""},
		{"user_uploaded/document_verification/Doc_Back_12_blob.png", pngBytes, RoleBack, 12, FormatPNG, ""},
		{"user_uploaded/extra/document_1_blob.png", pngBytes, RoleImage, 1, FormatPNG, ""},
		{"scan_1234567_blob.jpg", jpegBytes, RoleImage, 0, FormatJPEG, ""},
		{"scan_x_blob.jpg", jpegBytes, RoleImage, 0, FormatJPEG, ""},
		{"scan_7", jpegBytes, RoleImage, 0, FormatJPEG, ""},
		// Other images by magic.
		{"user_uploaded/document_verification/Doc_Front_1_blob.png", jpegBytes, RoleFront, 1, FormatJPEG, ""},
		{"user_uploaded/document_verification/Doc_Front_1_blob", jpegBytes, RoleFront, 1, FormatJPEG, ""},
		{"blob", jpegBytes, RoleImage, 0, FormatJPEG, ""},
		{"picture.dat", pngBytes, RoleImage, 0, FormatPNG, ""},
		// Attachments by magic.
		{"case_attachments/identity", pdfBytes, RoleAttachment, 0, FormatPDF, ""},
		{"download.bin", append([]byte("junk\n"), pdfBytes...), RoleAttachment, 0, FormatPDF, ""},
		{"case_attachments/IDENTITY.PDF", pdfBytes, RoleAttachment, 0, FormatPDF, ""},
		// Unknown files: listed as other, no error.
		{"notes.txt", []byte("hello"), RoleOther, 0, FormatUnknown, ""},
		{"case_attachments/readme.txt", []byte("hello"), RoleOther, 0, FormatUnknown, ""},
		{"meta.json", []byte(`{"a":1}`), RoleOther, 0, FormatUnknown, ""},
		{"front.txt", []byte("front"), RoleOther, 0, FormatUnknown, ""},
		// Wrong magic: role kept, error reported.
		{"case_attachments/identity.pdf", htmlBytes, RoleAttachment, 0, FormatUnknown, "named .pdf but is an HTML page"},
		{"case_attachments/identity.pdf", jpegBytes, RoleAttachment, 0, FormatJPEG, "named .pdf but is a JPEG image"},
		{"case_attachments/identity.pdf", []byte("plain text"), RoleAttachment, 0, FormatUnknown, "named .pdf but is not a PDF"},
		{"case_attachments/identity.pdf", []byte{}, RoleAttachment, 0, FormatUnknown, "named .pdf but is empty"},
		{"user_uploaded/document_verification/documentfrontDoc_Front_1_blob.jpg", pdfBytes, RoleFront, 1, FormatPDF, "named .jpg but is a PDF document"},
		{"user_uploaded/document_verification/documentbackDoc_Back_1_blob.jpg", []byte("GIF89a"), RoleBack, 1, FormatUnknown, "named .jpg but is not a JPEG or PNG image"},
		{"Doc_Selfie_1_blob.png", htmlBytes, RoleSelfie, 1, FormatUnknown, "named .png but is an HTML page"},
		// Unread entries (nil head) keep the role of their name, unchecked.
		{"case_attachments/identity.pdf", nil, RoleAttachment, 0, FormatUnknown, ""},
		{"Doc_Front_2_blob.jpg", nil, RoleFront, 2, FormatUnknown, ""},
		{"mystery", nil, RoleOther, 0, FormatUnknown, ""},
	}
	for _, tt := range tests {
		role, capture, format, err := Classify(tt.path, tt.head)
		if role != tt.role || capture != tt.capture || format != tt.format {
			t.Errorf("Classify(%q) = %s, %d, %s; want %s, %d, %s", tt.path, role, capture, format, tt.role, tt.capture, tt.format)
		}
		switch {
		case tt.errMsg == "" && err != nil:
			t.Errorf("Classify(%q): unexpected error %v", tt.path, err)
		case tt.errMsg != "" && (!errors.Is(err, ErrWrongMagic) || !strings.Contains(err.Error(), tt.errMsg)):
			t.Errorf("Classify(%q): err = %v, want ErrWrongMagic with %q", tt.path, err, tt.errMsg)
		}
	}
}

func TestRoleIsImage(t *testing.T) {
	for r, want := range map[Role]bool{RoleFront: true, RoleBack: true, RoleSelfie: true, RoleImage: true, RoleAttachment: false, RoleOther: false, Role("x"): false} {
		if r.IsImage() != want {
			t.Errorf("%s.IsImage() = %v", r, !want)
		}
	}
}
