# rvisor - one hand-written Makefile.
#   make                 build build/rvisor with $(CC) (gcc by default)
#   make CC=clang        same with clang
#   make SANITIZE=1      AddressSanitizer + UndefinedBehaviorSanitizer build
#   make test            unit tests + ISA tests (what CI runs)
# Objects go to build/ (or $(BUILD)), so gcc, clang and sanitizer builds can
# sit side by side: make BUILD=build-clang CC=clang.

CC       ?= gcc
BUILD    ?= build
O        ?= 2
CROSS    ?= riscv64-linux-gnu-

PKGS     := slirp liburing
CFLAGS   := -std=c17 -O$(O) -g -Wall -Wextra -Werror -D_GNU_SOURCE \
            -fno-strict-aliasing -frounding-math -Isrc \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(EXTRA_CFLAGS)
LDFLAGS  := $(EXTRA_LDFLAGS)
LDLIBS   := -lfdt $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

ifeq ($(SANITIZE),1)
CFLAGS   += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=address,undefined
endif

# Every .c under src/ except the program entry belongs to the core library,
# which unit tests and fuzzers link against.
SRCS     := $(shell find src -name '*.c' | sort)
MAIN     := src/vmm/main.c
LIBSRCS  := $(filter-out $(MAIN),$(SRCS))
LIBOBJS  := $(LIBSRCS:%.c=$(BUILD)/%.o)
DEPS     := $(SRCS:%.c=$(BUILD)/%.d)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%)

.PHONY: all clean test check run run-demo unit isa isa-progs guest-progs guest-image demo format check-format
all: $(BUILD)/rvisor

$(BUILD)/rvisor: $(BUILD)/src/vmm/main.o $(BUILD)/librvisor.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/librvisor.a: $(LIBOBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/unit/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(BUILD)/librvisor.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/librvisor.a -lcmocka $(LDLIBS)

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

isa-progs:
	$(MAKE) -s -C tests/isa CROSS=$(CROSS) OUT=$(abspath $(BUILD))/tests/isa

isa: $(BUILD)/rvisor isa-progs
	tests/isa/run.sh $(BUILD)/rvisor $(BUILD)/tests/isa

# Everything the README's test command runs: all suites, one summary line.
guest-progs:
	$(MAKE) -s -C tests/guest/progs CROSS=$(CROSS) OUT=$(abspath $(BUILD))/tests/guest/progs

# The project's Linux guest, cached outside the tree (first build ~10 min).
guest-image:
	scripts/build-guest.sh >/dev/null

check: $(BUILD)/rvisor $(UNIT_BINS) isa-progs guest-progs guest-image
	tests/run-all.sh $(BUILD)

test: check

# The main job: build everything (rvisor and the guest image, which is
# cached outside the tree) and boot the default guest to a shell.
run: $(BUILD)/rvisor guest-image
	$(BUILD)/rvisor run $(RUN_ARGS)

# The bare-metal demo program.
run-demo: $(BUILD)/rvisor demo
	$(BUILD)/rvisor run --firmware $(BUILD)/bench/bare/hello.elf

demo:
	$(MAKE) -s -C bench/bare CROSS=$(CROSS) OUT=$(abspath $(BUILD))/bench/bare

format:
	clang-format -i $$(find src tests -name '*.[ch]')

check-format:
	clang-format --dry-run -Werror $$(find src tests -name '*.[ch]')

clean:
	rm -rf build build-*

-include $(DEPS)
