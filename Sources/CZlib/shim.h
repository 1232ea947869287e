// zlib (Debian: zlib1g-dev). inflateInit2 is a macro: Swift calls inflateInit2_.
#include <zlib.h>
