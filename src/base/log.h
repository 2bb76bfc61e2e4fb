/* log.h - diagnostics for users (errors) and developers (debug traces). */
#ifndef RVISOR_BASE_LOG_H
#define RVISOR_BASE_LOG_H

#include <stdio.h>
#include <stdlib.h>

extern int log_verbose;

#define log_error(...)                                                         \
	do {                                                                   \
		fprintf(stderr, "rvisor: " __VA_ARGS__);                       \
		fputc('\n', stderr);                                           \
	} while (0)

#define log_warn(...)                                                          \
	do {                                                                   \
		fprintf(stderr, "rvisor: warning: " __VA_ARGS__);              \
		fputc('\n', stderr);                                           \
	} while (0)

#define log_debug(...)                                                         \
	do {                                                                   \
		if (log_verbose) {                                             \
			fprintf(stderr, "rvisor: " __VA_ARGS__);               \
			fputc('\n', stderr);                                   \
		}                                                              \
	} while (0)

/* For host-side invariants that cannot fail unless rvisor itself is wrong.
 * Never for anything a guest or user controls. */
#define BUG_ON(cond)                                                           \
	do {                                                                   \
		if (cond) {                                                    \
			fprintf(stderr,                                        \
				"rvisor: internal error at %s:%d: %s\n",       \
				__FILE__, __LINE__, #cond);                    \
			abort();                                               \
		}                                                              \
	} while (0)

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#endif
