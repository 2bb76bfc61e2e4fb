#include "base/log.h"

int log_verbose;
