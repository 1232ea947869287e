// libedit's readline compatibility layer (Debian: libedit-dev).
#include <stdio.h>
#include <editline/readline.h>
