# DocV Review. The two commands a fresh Debian/Ubuntu machine needs: `make run` and `make test`.

GO      ?= go
export GOTOOLCHAIN ?= local
# Every target builds with -trimpath, so that vet, the tests and the release build share one
# build cache (Fyne's OpenGL driver is compiled once, not twice, on a fresh machine).
export GOFLAGS ?= -trimpath
BIN     := bin/docvreview
PREFIX  ?= /usr/local
DESTDIR ?=
APP_ID  := com.docvreview.app

# Debian packages: to build the window (Fyne's GLFW driver) …
BUILD_DEBS := gcc pkg-config libgl1-mesa-dev libx11-dev libxext-dev libxrender-dev libxcursor-dev \
              libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev
# … the TurboJPEG fast path (optional: without it the pure-Go decoder is built) …
TURBO_DEBS := libturbojpeg0-dev
# … the licence-barcode reader (optional: without it the evidence checks say "barcode reading not
# available in this build"; the binary then links the shared libZXing, Debian's libzxing2) …
ZXING_DEBS := libzxing-dev
# … and to run the end-to-end checks (a real window under Xvfb, a real keychain, a screen capture).
TEST_DEBS  := xvfb xauth xdotool dbus dbus-x11 gnome-keyring libsecret-tools imagemagick libjpeg-turbo-progs strace procps

# The decoder is chosen when a recipe runs, not when make starts: these are recursive (=) variables,
# so `make run` / `make test` on a fresh machine see the headers that their `deps` step just installed.
# `make … PUREGO=1` forces the pure-Go decoder.
HAVE_TURBO    = $(shell for d in /usr/include /usr/local/include /opt/homebrew/include; do test -f $$d/turbojpeg.h && echo yes && break; done)
DECODER_TAGS  = $(if $(and $(HAVE_TURBO),$(if $(PUREGO),,yes)),,purego)
HAVE_ZXING    = $(shell pkg-config --exists zxing 2>/dev/null && echo yes)
BARCODE_TAGS  = $(if $(HAVE_ZXING),zxing,)
# The tags of every build and test: the JPEG decoder and the barcode reader.
TAGS          = $(strip $(DECODER_TAGS) $(BARCODE_TAGS))
RELEASE_TAGS  = migrated_fynedo $(TAGS)
comma := ,
empty :=
space := $(empty) $(empty)
# fyne package takes the tags comma-separated.
PACKAGE_TAGS  = $(subst $(space),$(comma),$(strip $(RELEASE_TAGS)))

.PHONY: all run test unit e2e bench build release package deps deps-test install uninstall screenshot fuzz clean

all: release

## run: build the release binary and open the window (Demo when no API key is stored)
run: deps
	@$(MAKE) --no-print-directory release
	$(BIN)

## build: debug build (Fyne's thread checks on)
build:
	$(GO) build -tags '$(TAGS)' -o $(BIN) .

## release: optimised build (-tags migrated_fynedo, TurboJPEG when present)
release:
	$(GO) build -tags '$(RELEASE_TAGS)' -trimpath -ldflags="-s -w" -o $(BIN) .

## test: vet; every unit test with the race detector, then again without it (the memory and speed
## budgets run only there); the pure-Go decoder's tests (its concurrency is the shared code the race
## pass covers); the end-to-end checks against both decoders
test: deps deps-test
	@$(MAKE) --no-print-directory unit e2e

# The race pass names its longest packages first: go test starts packages in the order given, so
# the ui package (the longest) runs beside the others instead of after them (about a minute less).
SLOW_FIRST := ./ui/ ./ui/cli/ ./fetch/simulator/ ./fetch/queue/

unit:
	$(GO) vet -tags '$(TAGS)' ./...
	$(GO) test -race -count=1 -timeout 20m -tags '$(TAGS)' $(SLOW_FIRST) ./...
	$(GO) test -count=1 -timeout 20m -tags '$(TAGS)' $(SLOW_FIRST) ./...
	$(GO) test -count=1 -tags purego ./imaging/...

## e2e: the release binary in a real window under Xvfb, a real keychain, the command line against the
## simulator; then the window checks again against the pure-Go decoder's build
e2e: release
	DOCV_BIN=$(CURDIR)/$(BIN) $(GO) test -count=1 -timeout 15m -tags e2e ./ui/e2e/ -v
	$(GO) build -tags 'migrated_fynedo purego $(BARCODE_TAGS)' -ldflags="-s -w" -o $(BIN)-purego .
	DOCV_BIN=$(CURDIR)/$(BIN)-purego $(GO) test -count=1 -timeout 15m -tags e2e ./ui/e2e/ -run '^(TestWindow|TestCompareQueue)$$' -v

## screenshot: refresh the README screenshot and ui/testdata/screens/ from a real window under Xvfb
screenshot: release
	DOCV_BIN=$(CURDIR)/$(BIN) DOCV_SCREENSHOTS=$(CURDIR) $(GO) test -count=1 -tags e2e ./ui/e2e/ -run '^(TestWindow|TestCompareQueue|TestDecide)$$' -v

## bench: first the release binary's figures (ui/e2e/bench_test.go: the PDF engine's first start, the
## cold `inspect` process vs three djpeg processes, window RSS under Xvfb empty / peak with the demo
## case / after Ctrl+W) and the in-process 3 × 12 MP ratio to djpeg (x-djpeg, median of 7); then
## imaging (TurboJPEG and pure Go), PDF pages, face detection, the ZIP reader, Enter → three images
bench: release deps-test
	@out=$$(DOCV_BENCH=1 DOCV_BIN=$(CURDIR)/$(BIN) $(GO) test -count=1 -timeout 20m -tags e2e ./ui/e2e/ -run '^TestBench$$' -v 2>&1); \
	  status=$$?; printf '%s\n' "$$out" | grep -E 'BENCH|^(--- |FAIL|ok )'; exit $$status
	$(GO) test -tags '$(TAGS)' -run '^$$' -bench 'Case3x12MP' -benchmem -count 7 ./imaging/
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./imaging/ ./fetch/eval/ ./fetch/casefile/ ./ui/
	$(GO) test -run '^$$' -bench 'Case3x12MP|DecodeForDisplay|RenderRegion' -benchmem -count 5 -tags purego ./imaging/

## fuzz: run every fuzz target for FUZZTIME (default 5m) each
FUZZTIME ?= 5m
fuzz:
	@for pkg in ./fetch/eval ./fetch/riskos ./fetch/casefile ./fetch/queue ./fetch/internal/safetext ./imaging ./imaging/barcode/aamva ./imaging/forensics; do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$t"; $(GO) test -tags '$(TAGS)' -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

## package: the platform's installable bundle (fyne package, fyne.io/tools v1.7.4)
package: deps
	$(GO) run fyne.io/tools/cmd/fyne@v1.7.4 package -release -tags '$(PACKAGE_TAGS)' --app-id $(APP_ID) -icon assets/icon.png

## install / uninstall: the binary, desktop entry and icon under $(DESTDIR)$(PREFIX)
install: release
	install -Dm755 $(BIN) $(DESTDIR)$(PREFIX)/bin/docvreview
	install -Dm644 assets/icon.png $(DESTDIR)$(PREFIX)/share/icons/hicolor/256x256/apps/$(APP_ID).png
	install -Dm644 assets/docvreview.desktop $(DESTDIR)$(PREFIX)/share/applications/$(APP_ID).desktop

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/docvreview \
	      $(DESTDIR)$(PREFIX)/share/icons/hicolor/256x256/apps/$(APP_ID).png \
	      $(DESTDIR)$(PREFIX)/share/applications/$(APP_ID).desktop

## deps: install the missing Debian packages (as root or with sudo); elsewhere print what to install
deps:
	@$(call install_debs,$(BUILD_DEBS))
	@( $(call install_debs,$(TURBO_DEBS)) ) || true
	@( $(call install_debs,$(ZXING_DEBS)) ) || true
	@for d in /usr/include /usr/local/include /opt/homebrew/include; do test -f $$d/turbojpeg.h && exit 0; done; echo "TurboJPEG headers not found (Debian: libturbojpeg0-dev; macOS: brew install jpeg-turbo): building the pure-Go JPEG decoder, about 3x slower."

deps-test:
	@$(call install_debs,$(TEST_DEBS))

clean:
	rm -rf bin ui/testdata/failed

define install_debs
	if [ "$$(uname -s)" = Darwin ]; then \
	  command -v pkg-config >/dev/null && pkg-config --exists libturbojpeg || \
	    echo "macOS: install Xcode command line tools and: brew install pkg-config jpeg-turbo"; \
	elif command -v dpkg-query >/dev/null && command -v apt-get >/dev/null; then \
	  missing=""; for p in $(1); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	  done; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else \
	      echo "Missing Debian packages:$$missing"; echo "Install them with: sudo apt-get install -y$$missing"; exit 1; fi; \
	    echo "Installing:$$missing"; \
	    $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  fi; \
	else \
	  echo "Not Debian/Ubuntu: install a C compiler, pkg-config, OpenGL and X11 (or your platform's) headers, and libjpeg-turbo (TurboJPEG)."; \
	fi
endef
