#include "ui/kinds/vit/trace_image.h"

#include <QDateTime>
#include <QFileInfo>
#include <QString>
#include <algorithm>
#include <cmath>
#include <deque>
#include <mutex>

#include "engine/core/error.h"
#include "engine/io/tensor_files.h"

namespace attnviz::ui {

namespace {

// Images kept decoded: the shown trace's and a few before it (a session flips between a handful). 224 x 224 RGB32 is
// 200 KB; a 4000 x 3000 photo 48 MB, so the cache stays small.
constexpr std::size_t kCachedImages = 4;

struct CachedImage {
  std::string path;
  qint64 size = -1;
  QDateTime modified;
  QImage image;
};

std::mutex cacheMutex;
std::deque<CachedImage> cache;  // most recent first
int decodes = 0;

// pixels: [C, H, W] or [1, C, H, W] with C 1 or 3, every value mapped by one min-max to 0..255 (grey for C = 1).
QImage scaledPixels(const attnviz::Tensor& pixels) {
  const attnviz::Shape& s = pixels.shape();
  const bool batched = s.size() == 4 && s[0] == 1;
  if (!(s.size() == 3 || batched)) return {};
  const std::int64_t c = s[batched ? 1 : 0], h = s[batched ? 2 : 1], w = s[batched ? 3 : 2];
  if ((c != 1 && c != 3) || h <= 0 || w <= 0 || h > 1 << 15 || w > 1 << 15) return {};
  const auto values = pixels.values();
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  if (!std::isfinite(*lo) || !std::isfinite(*hi)) return {};
  const float scale = *hi > *lo ? 255.0f / (*hi - *lo) : 0.0f;
  QImage image(static_cast<int>(w), static_cast<int>(h), QImage::Format_RGB32);
  auto at = [&](std::int64_t channel, std::int64_t y, std::int64_t x) {
    const float v = values[static_cast<std::size_t>((channel * h + y) * w + x)];
    return static_cast<int>(std::lround((v - *lo) * scale));
  };
  for (std::int64_t y = 0; y < h; ++y)
    for (std::int64_t x = 0; x < w; ++x)
      image.setPixel(static_cast<int>(x), static_cast<int>(y),
                     qRgb(at(0, y, x), at(c == 3 ? 1 : 0, y, x), at(c == 3 ? 2 : 0, y, x)));
  return image;
}

QImage decode(const std::string& input) {
  if (!isPixelsPreview(input)) return QImage(QString::fromStdString(input)).convertToFormat(QImage::Format_RGB32);
  try {
    return scaledPixels(attnviz::readNpy(input));
  } catch (const attnviz::Error&) {
    return {};  // the run reported what is wrong with the file
  }
}

}  // namespace

bool isPixelsPreview(const std::string& input) {
  return QFileInfo(QString::fromStdString(input)).suffix().compare(QLatin1String("npy"), Qt::CaseInsensitive) == 0;
}

QImage traceImage(const std::string& input) {
  if (input.empty()) return {};
  const QFileInfo info(QString::fromStdString(input));
  const qint64 size = info.exists() ? info.size() : -1;
  const QDateTime modified = info.lastModified();
  const std::lock_guard lock(cacheMutex);
  for (auto it = cache.begin(); it != cache.end(); ++it) {
    if (it->path == input && it->size == size && it->modified == modified) {
      CachedImage hit = std::move(*it);
      cache.erase(it);
      cache.push_front(std::move(hit));
      return cache.front().image;  // shares the decoded pixels
    }
  }
  ++decodes;
  cache.push_front({input, size, modified, decode(input)});
  if (cache.size() > kCachedImages) cache.pop_back();
  return cache.front().image;
}

int traceImageDecodes() {
  const std::lock_guard lock(cacheMutex);
  return decodes;
}

}  // namespace attnviz::ui
