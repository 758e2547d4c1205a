#include "engine/io/image_file.h"

#include <QBuffer>
#include <QByteArray>
#include <QImage>
#include <QImageReader>
#include <QString>

#include "engine/core/error.h"

namespace attnviz {

namespace {

RgbImage decode(QImageReader& reader, const std::string& origin, std::int64_t maxPixels) {
  checkLimit(kMaxImagePixelsLimit, maxPixels, kMaxImagePixelsLimit.option);
  const std::string limit = "more than the limit of " + limitText(kMaxImagePixelsLimit, maxPixels) + " pixels (" +
                            limitNote(kMaxImagePixelsLimit) + ")";
  reader.setAutoTransform(false);
  const QSize size = reader.size();  // from the header, before decoding
  if (!reader.canRead())
    throw InputError(origin, "cannot read the image: " + reader.errorString().toStdString() +
                                 " (attnviz reads PNG, JPEG, BMP, GIF and the other formats Qt supports)");
  if (size.isValid() && static_cast<std::int64_t>(size.width()) * size.height() > maxPixels)
    throw InputError(origin, "the image is " + std::to_string(size.width()) + "x" + std::to_string(size.height()) +
                                 " pixels, " + limit);
  reader.setAllocationLimit(static_cast<int>(((maxPixels * 8) >> 20) + 1));  // MB, for 16-bit RGBA
  QImage image = reader.read();
  if (image.isNull()) throw InputError(origin, "the image is damaged or incomplete: " + reader.errorString().toStdString());
  if (static_cast<std::int64_t>(image.width()) * image.height() > maxPixels)
    throw InputError(origin, "the image is " + std::to_string(image.width()) + "x" + std::to_string(image.height()) +
                                 " pixels, " + limit);
  RgbImage out;
  out.width = image.width();
  out.height = image.height();
  out.rgb.resize(static_cast<std::size_t>(out.width * out.height * 3));
  const bool sixteenBit = image.format() == QImage::Format_Grayscale16 || image.format() == QImage::Format_RGBA64 ||
                          image.format() == QImage::Format_RGBX64 || image.format() == QImage::Format_RGBA64_Premultiplied;
  if (sixteenBit) {
    // 16-bit samples: v / 257 rounded, (v + 128) / 257, done here so that it is exactly that.
    image = image.convertToFormat(QImage::Format_RGBA64);  // straight alpha, 4 x 16 bits
    for (std::int64_t y = 0; y < out.height; ++y) {
      const auto* row = reinterpret_cast<const quint16*>(image.constScanLine(static_cast<int>(y)));
      std::uint8_t* dst = out.rgb.data() + y * out.width * 3;
      for (std::int64_t x = 0; x < out.width; ++x)
        for (int c = 0; c < 3; ++c) dst[x * 3 + c] = static_cast<std::uint8_t>((row[x * 4 + c] + 128u) / 257u);
    }
    return out;
  }
  image = image.convertToFormat(QImage::Format_RGBA8888);  // straight (not premultiplied) alpha
  for (std::int64_t y = 0; y < out.height; ++y) {
    const uchar* row = image.constScanLine(static_cast<int>(y));
    std::uint8_t* dst = out.rgb.data() + y * out.width * 3;
    for (std::int64_t x = 0; x < out.width; ++x)
      for (int c = 0; c < 3; ++c) dst[x * 3 + c] = row[x * 4 + c];  // alpha dropped
  }
  return out;
}

}  // namespace

RgbImage decodeImage(const std::string& path, const std::string& origin, std::int64_t maxPixels) {
  QImageReader reader(QString::fromStdString(path));
  return decode(reader, origin, maxPixels);
}

RgbImage decodeImageData(std::string_view bytes, const std::string& origin, std::int64_t maxPixels) {
  QByteArray data = QByteArray::fromRawData(bytes.data(), static_cast<qsizetype>(bytes.size()));
  QBuffer buffer(&data);
  buffer.open(QIODevice::ReadOnly);
  QImageReader reader(&buffer);
  return decode(reader, origin, maxPixels);
}

}  // namespace attnviz
