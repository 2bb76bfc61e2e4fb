/* main.c - the command line: `rvisor run [options]`. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "machine/machine.h"

#define RVISOR_VERSION "0.1.0"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: rvisor run [options]\n"
		"\n"
		"  --firmware FILE   M-mode firmware or bare-metal program "
		"(ELF, or\n"
		"                    raw binary loaded at 0x80000000)\n"
		"  --kernel FILE     Linux Image or ELF, entered in S-mode\n"
		"  --initrd FILE     initial ramdisk\n"
		"  --append ARGS     kernel command line\n"
		"  --mem SIZE        guest RAM, e.g. 256M or 1G (default "
		"256M;\n"
		"                    a plain number means MiB)\n"
		"  --smp N           number of harts (default 1)\n"
		"  --disk FILE[,ro][,serial=ID]  virtio-blk disk (repeatable)\n"
		"  --net user[,hostfwd=tcp::HOSTPORT-:GUESTPORT] | tap=IF | "
		"none\n"
		"                    virtio-net backend (default: none)\n"
		"  --console serial|virtio  guest console: ns16550a (ttyS0, "
		"the\n"
		"                    default) or virtio-console (hvc0)\n"
		"  --rng             virtio-rng fed from the host's "
		"getrandom()\n"
		"  --no-reboot       exit when the guest reboots\n"
		"  --no-jit          interpret only (the reference "
		"execution engine)\n"
		"  --dump-dtb FILE   write the generated device tree to FILE\n"
		"\n"
		"Without --kernel and --firmware, the project's own guest is\n"
		"booted (built by scripts/build-guest.sh).\n"
		"\n"
		"  --stats           print exit and instruction counts at the "
		"end\n"
		"  -v, --verbose     debug messages\n"
		"  -h, --help        this text\n"
		"  --version         print the version\n");
}

/* Parses SIZE with an optional K/M/G suffix; plain numbers are MiB. */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	uint64_t mult = 1ull << 20;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || s[0] == '-')
		return -1;
	switch (*end) {
	case 'k':
	case 'K':
		mult = 1ull << 10;
		end++;
		break;
	case 'm':
	case 'M':
		mult = 1ull << 20;
		end++;
		break;
	case 'g':
	case 'G':
		mult = 1ull << 30;
		end++;
		break;
	case '\0': break;
	default: return -1;
	}
	if (*end == 'i' || *end == 'B')
		end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
	if (*end || v > (UINT64_MAX / mult))
		return -1;
	*out = v * mult;
	return 0;
}

enum {
	OPT_FIRMWARE = 256,
	OPT_KERNEL,
	OPT_INITRD,
	OPT_APPEND,
	OPT_MEM,
	OPT_SMP,
	OPT_STATS,
	OPT_VERSION,
	OPT_DUMP_DTB,
	OPT_NO_REBOOT,
	OPT_NO_JIT,
	OPT_DISK,
	OPT_NET,
	OPT_CONSOLE,
	OPT_RNG,
};

/* --disk FILE[,ro][,serial=ID] */
static int parse_disk(char *arg, struct machine_config *cfg)
{
	struct blk_config *d;
	char *save = NULL, *tok;

	if (cfg->ndisks == VIRT_VIRTIO_SLOTS) {
		log_error("--disk: at most %d disks", VIRT_VIRTIO_SLOTS);
		return -1;
	}
	d = &cfg->disks[cfg->ndisks];
	*d = (struct blk_config){0};
	tok = strtok_r(arg, ",", &save);
	if (!tok || !*tok) {
		log_error("--disk: expected FILE[,ro][,serial=ID]");
		return -1;
	}
	d->path = tok;
	while ((tok = strtok_r(NULL, ",", &save))) {
		if (!strcmp(tok, "ro")) {
			d->readonly = true;
		} else if (!strncmp(tok, "serial=", 7) && tok[7]) {
			if (strlen(tok + 7) > 20) {
				log_error(
					"--disk %s: serial '%s' is longer than "
					"20 characters",
					d->path, tok + 7);
				return -1;
			}
			d->serial = tok + 7;
		} else {
			log_error("--disk %s: unknown option '%s' (expected ro "
				  "or serial=ID)",
				  d->path, tok);
			return -1;
		}
	}
	cfg->ndisks++;
	return 0;
}

/* --net user[,hostfwd=tcp::HOSTPORT-:GUESTPORT]... | tap=IF | none */
static int parse_net(char *arg, struct net_config *n)
{
	char *save = NULL, *tok = strtok_r(arg, ",", &save);

	*n = (struct net_config){0};
	if (!tok) {
		log_error("--net: expected user, tap=IF or none");
		return -1;
	}
	if (!strcmp(tok, "none")) {
		n->mode = NET_NONE;
	} else if (!strncmp(tok, "tap=", 4) && tok[4]) {
		n->mode = NET_TAP;
		n->tap_ifname = tok + 4;
	} else if (!strcmp(tok, "user")) {
		n->mode = NET_USER;
	} else {
		log_error("--net '%s': expected user, tap=IF or none", tok);
		return -1;
	}
	while ((tok = strtok_r(NULL, ",", &save))) {
		unsigned hp, gp;
		char tail;
		if (n->mode != NET_USER ||
		    sscanf(tok, "hostfwd=tcp::%u-:%u%c", &hp, &gp, &tail) !=
			    2 ||
		    !hp || hp > 65535 || !gp || gp > 65535) {
			log_error("--net: bad option '%s' (expected "
				  "hostfwd=tcp::HOSTPORT-:GUESTPORT with user)",
				  tok);
			return -1;
		}
		if (n->nfwd == NET_MAX_FWD) {
			log_error("--net: at most %d hostfwd rules",
				  NET_MAX_FWD);
			return -1;
		}
		n->fwd[n->nfwd++] =
			(struct net_fwd){(uint16_t)hp, (uint16_t)gp};
	}
	return 0;
}

/* The project's own guest (scripts/build-guest.sh), used when no kernel or
 * firmware is given. */
static int default_guest(struct machine_config *cfg)
{
	static char kernel[4096], initrd[4096];
	const char *cache = getenv("RVISOR_CACHE");
	const char *home = getenv("HOME");
	char dir[4000];

	if (cache && *cache)
		snprintf(dir, sizeof(dir), "%s/guest-current", cache);
	else
		snprintf(dir, sizeof(dir), "%s/.cache/rvisor/guest-current",
			 home ? home : "/root");
	snprintf(kernel, sizeof(kernel), "%s/Image", dir);
	snprintf(initrd, sizeof(initrd), "%s/initramfs.cpio.gz", dir);
	if (access(kernel, R_OK) != 0 || access(initrd, R_OK) != 0) {
		log_error("no --kernel or --firmware given, and the default "
			  "guest is not built (looked in %s): run "
			  "scripts/build-guest.sh or 'make run'",
			  dir);
		return -1;
	}
	cfg->kernel = kernel;
	cfg->initrd = initrd;
	return 0;
}

static struct machine *running_machine;

/* SIGINT/SIGTERM: stop the machine the orderly way (terminal restored,
 * --stats printed). Only atomics and futex wake-ups: signal-safe. */
static void on_signal(int sig)
{
	if (running_machine)
		machine_signal_stop(running_machine, 128 + sig);
}

static int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"firmware", required_argument, NULL, OPT_FIRMWARE},
		{"kernel", required_argument, NULL, OPT_KERNEL},
		{"initrd", required_argument, NULL, OPT_INITRD},
		{"append", required_argument, NULL, OPT_APPEND},
		{"mem", required_argument, NULL, OPT_MEM},
		{"smp", required_argument, NULL, OPT_SMP},
		{"stats", no_argument, NULL, OPT_STATS},
		{"dump-dtb", required_argument, NULL, OPT_DUMP_DTB},
		{"no-reboot", no_argument, NULL, OPT_NO_REBOOT},
		{"no-jit", no_argument, NULL, OPT_NO_JIT},
		{"disk", required_argument, NULL, OPT_DISK},
		{"net", required_argument, NULL, OPT_NET},
		{"console", required_argument, NULL, OPT_CONSOLE},
		{"rng", no_argument, NULL, OPT_RNG},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct machine_config cfg = {
		.mem_size = MACHINE_DEFAULT_MEM,
		.smp = 1,
	};
	static struct machine m;
	char err[512];
	int c, status;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":vh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_FIRMWARE: cfg.firmware = optarg; break;
		case OPT_KERNEL: cfg.kernel = optarg; break;
		case OPT_INITRD: cfg.initrd = optarg; break;
		case OPT_APPEND: cfg.append = optarg; break;
		case OPT_MEM:
			if (parse_size(optarg, &cfg.mem_size) < 0 ||
			    cfg.mem_size < (16ull << 20) ||
			    cfg.mem_size > (64ull << 30) ||
			    cfg.mem_size & 0xfff) {
				log_error("--mem '%s': expected a size between "
					  "16M and 64G, like 256M or 1G",
					  optarg);
				return 2;
			}
			break;
		case OPT_SMP: {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || end == optarg || n < 1 ||
			    n > MACHINE_MAX_HARTS) {
				log_error("--smp '%s': expected a number of "
					  "harts from 1 to %d",
					  optarg, MACHINE_MAX_HARTS);
				return 2;
			}
			cfg.smp = (unsigned)n;
			break;
		}
		case OPT_STATS: cfg.stats = true; break;
		case OPT_DUMP_DTB: cfg.dump_dtb = optarg; break;
		case OPT_NO_REBOOT: cfg.no_reboot = true; break;
		case OPT_NO_JIT: cfg.no_jit = true; break;
		case OPT_DISK:
			if (parse_disk(optarg, &cfg) < 0)
				return 2;
			break;
		case OPT_NET:
			if (parse_net(optarg, &cfg.net) < 0)
				return 2;
			break;
		case OPT_CONSOLE:
			if (!strcmp(optarg, "serial")) {
				cfg.virtio_console = false;
			} else if (!strcmp(optarg, "virtio")) {
				cfg.virtio_console = true;
			} else {
				log_error("--console '%s': expected serial or "
					  "virtio",
					  optarg);
				return 2;
			}
			break;
		case OPT_RNG: cfg.rng = true; break;
		case 'v': log_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			log_error("option '%s' needs an argument",
				  argv[optind - 1]);
			return 2;
		default:
			log_error("unknown option '%s' (see rvisor run --help)",
				  argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		log_error("unexpected argument '%s' (see rvisor run --help)",
			  argv[optind]);
		return 2;
	}
	if (!cfg.kernel && !cfg.firmware) {
		if (cfg.initrd) {
			log_error("--initrd needs --kernel");
			return 2;
		}
		if (default_guest(&cfg) < 0)
			return 1;
	}
	if (machine_create(&m, &cfg, err, sizeof(err)) < 0) {
		log_error("%s", err);
		machine_destroy(&m);
		return 1;
	}
	running_machine = &m;
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	status = machine_run(&m);
	if (cfg.stats)
		machine_print_stats(&m);
	machine_destroy(&m);
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("rvisor %s\n", RVISOR_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	log_error("unknown command '%s' (try: rvisor run --help)", argv[1]);
	return 2;
}
