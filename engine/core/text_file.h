// Reading a text file that comes from outside (an input, a gold alignment file) whole, with a size limit
// checked before anything is read.
//
//   std::string text = attnviz::readTextFile("reviews.txt", 64u << 20, "text inputs");
#pragma once

#include <cstddef>
#include <string>

namespace attnviz {

// The file's bytes. Throws InputError(path) when it is missing, not a regular file, unreadable, or larger
// than maxBytes (the message names `what` is limited: "text inputs are limited to ... bytes").
std::string readTextFile(const std::string& path, std::size_t maxBytes, const std::string& what);

}  // namespace attnviz
