/* fp_exec.h - F/D arithmetic (not loads and stores) on a hart. */
#ifndef RVISOR_CPU_FP_EXEC_H
#define RVISOR_CPU_FP_EXEC_H

#include <stdbool.h>

#include "cpu/decode.h"

struct hart;

/* Execute one F/D operation other than FLW/FLD/FSW/FSD. Returns false,
 * having changed nothing, if it is illegal here (mstatus.FS off, a
 * reserved rounding mode): the caller raises the exception. */
bool fp_exec(struct hart *h, const struct insn *ins);

#endif
