package riskos

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"docvreview/fetch/eval"
	"docvreview/fetch/simulator"
)

func TestFetchCaseOnArchive(t *testing.T) {
	var got []byte
	c, err := NewClient(Options{Env: eval.Demo, Demo: simulatorDemo, OnArchive: func(zip []byte) error {
		got = bytes.Clone(zip)
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := c.FetchCase(context.Background(), simulator.PassportID, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	if !bytes.Equal(got, simulator.CaseZIP(simulator.PassportID)) {
		t.Error("OnArchive did not see the ZIP as served")
	}

	boom := errors.New("disk full")
	c, _ = NewClient(Options{Env: eval.Demo, Demo: simulatorDemo, OnArchive: func([]byte) error { return boom }})
	if _, err := c.FetchCase(context.Background(), simulator.PassportID, nil); !errors.Is(err, boom) {
		t.Errorf("FetchCase = %v, want the OnArchive error", err)
	}
}
