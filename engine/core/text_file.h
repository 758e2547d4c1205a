// Reading a text file that comes from outside (an input, a gold alignment file) whole, with a size limit
// checked before anything is read (a regular file) or enforced while reading (a pipe: `<(cmd)`, /dev/fd/N, a FIFO,
// or standard input through readTextStream).
//
//   std::string text = attnviz::readTextFile("reviews.txt", 64u << 20, "text inputs");
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

namespace attnviz {

// The file's bytes. Throws InputError(path) when it is missing, a folder or a device other than a pipe or a character
// device, unreadable, or larger than maxBytes (the message names `what` is limited: "text inputs are limited to ...
// bytes"). A pipe is read up to maxBytes + 1 bytes and refused past the limit.
std::string readTextFile(const std::string& path, std::size_t maxBytes, const std::string& what);
// The bytes of a stream (standard input for "-"), read as a pipe is: at most maxBytes; InputError(name) past it.
std::string readTextStream(std::istream& in, const std::string& name, std::size_t maxBytes, const std::string& what);

}  // namespace attnviz
