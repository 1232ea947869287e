// libdeflate (Debian's libdeflate-dev): whole-buffer gzip decompression, about twice
// zlib's speed. zlib stays for streams and for the messages about broken files.
#include <libdeflate.h>
