#include "engine/io/bytes.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "engine/core/error.h"

namespace attnviz {

namespace {

// Closes the descriptor on every path out of mapFile, including the throwing ones.
struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

// Reads the file into memory: the fallback where mmap is refused.
Bytes readWhole(int fd, std::size_t length, const std::string& path) {
  std::vector<std::uint8_t> data(length);
  std::size_t got = 0;
  while (got < length) {
    const ssize_t n = ::pread(fd, data.data() + got, length - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw ModelFileError(path, std::string("cannot read the file: ") + std::strerror(errno));
    if (n == 0) throw ModelFileError(path, "the file shrank while it was being read");
    got += static_cast<std::size_t>(n);
  }
  return Bytes::fromVector(std::move(data), path);
}

}  // namespace

const std::string& Bytes::modelFileLimitHint() {
  static const std::string hint = " (" + limitNote(kMaxModelFileBytesLimit) + ")";
  return hint;
}

void Bytes::requireSizeAtMost(const std::string& label, std::uint64_t size, std::uint64_t maxSize,
                              const std::string& limitHint) {
  if (size > maxSize)
    throw ModelFileError(label, "the file is " + std::to_string(size) + " bytes, more than the limit of " +
                                    std::to_string(maxSize) + " bytes" + limitHint);
}

Bytes Bytes::mapFile(const std::string& path, std::uint64_t maxSize, const std::string& limitHint) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw ModelFileError(path, std::string("cannot open the file: ") + std::strerror(errno));
  FdCloser closer{fd};

  struct stat st {};
  if (::fstat(fd, &st) != 0) throw ModelFileError(path, std::string("cannot stat the file: ") + std::strerror(errno));
  // A FIFO or a device could block forever or have no meaningful size; a folder is a common mix-up.
  if (S_ISDIR(st.st_mode)) throw ModelFileError(path, "is a folder, expected a file");
  if (!S_ISREG(st.st_mode)) throw ModelFileError(path, "is not a regular file");
  const auto size = static_cast<std::uint64_t>(st.st_size);
  requireSizeAtMost(path, size, maxSize, limitHint);

  Bytes b;
  b.label_ = path;
  if (size == 0) return b;  // mmap refuses length 0; an empty run of bytes needs no mapping

  // MAP_PRIVATE + PROT_WRITE: copy-on-write, so tensor views may be handed out as float* without the file
  // ever being written. A read-only descriptor is enough for a private mapping.
  const auto length = static_cast<std::size_t>(size);
  void* p = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  if (p == MAP_FAILED) return readWhole(fd, length, path);  // some file systems (FUSE, network) cannot map
  b.data_ = static_cast<std::uint8_t*>(p);
  b.size_ = length;
  b.owner_ = std::shared_ptr<const void>(p, [length](const void* q) { ::munmap(const_cast<void*>(q), length); });
  return b;
}

Bytes Bytes::fromVector(std::vector<std::uint8_t> data, std::string label) {
  auto storage = std::make_shared<std::vector<std::uint8_t>>(std::move(data));
  Bytes b;
  b.data_ = storage->empty() ? nullptr : storage->data();
  b.size_ = storage->size();
  b.label_ = std::move(label);
  b.owner_ = std::move(storage);
  return b;
}

}  // namespace attnviz
