#include "ui/maps/colormap.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace attnviz::ui {
namespace {

// matplotlib _viridis_data[0, 8, 16, ..., 248, 255]
constexpr std::array<Colormap::Anchor, 33> kViridis{{
    {0.267004f, 0.004874f, 0.329415f}, {0.277018f, 0.050344f, 0.375715f}, {0.282327f, 0.094955f, 0.417331f},
    {0.282884f, 0.135920f, 0.453427f}, {0.278826f, 0.175490f, 0.483397f}, {0.270595f, 0.214069f, 0.507052f},
    {0.258965f, 0.251537f, 0.524736f}, {0.244972f, 0.287675f, 0.537260f}, {0.229739f, 0.322361f, 0.545706f},
    {0.214298f, 0.355619f, 0.551184f}, {0.199430f, 0.387607f, 0.554642f}, {0.185556f, 0.418570f, 0.556753f},
    {0.172719f, 0.448791f, 0.557885f}, {0.160665f, 0.478540f, 0.558115f}, {0.149039f, 0.508051f, 0.557250f},
    {0.137770f, 0.537492f, 0.554906f}, {0.127568f, 0.566949f, 0.550556f}, {0.120565f, 0.596422f, 0.543611f},
    {0.120638f, 0.625828f, 0.533488f}, {0.132268f, 0.655014f, 0.519661f}, {0.157851f, 0.683765f, 0.501686f},
    {0.196571f, 0.711827f, 0.479221f}, {0.246070f, 0.738910f, 0.452024f}, {0.304148f, 0.764704f, 0.419943f},
    {0.369214f, 0.788888f, 0.382914f}, {0.440137f, 0.811138f, 0.340967f}, {0.515992f, 0.831158f, 0.294279f},
    {0.595839f, 0.848717f, 0.243329f}, {0.678489f, 0.863742f, 0.189503f}, {0.762373f, 0.876424f, 0.137064f},
    {0.845561f, 0.887322f, 0.099702f}, {0.926106f, 0.897330f, 0.104071f}, {0.993248f, 0.906157f, 0.143936f},
}};

// matplotlib _magma_data[0, 8, 16, ..., 248, 255]
constexpr std::array<Colormap::Anchor, 33> kMagma{{
    {0.001462f, 0.000466f, 0.013866f}, {0.013708f, 0.011771f, 0.068667f}, {0.039608f, 0.031090f, 0.133515f},
    {0.074257f, 0.052017f, 0.202660f}, {0.113094f, 0.065492f, 0.276784f}, {0.159018f, 0.068354f, 0.352688f},
    {0.211718f, 0.061992f, 0.418647f}, {0.265447f, 0.060237f, 0.461840f}, {0.316654f, 0.071690f, 0.485380f},
    {0.366012f, 0.090314f, 0.497960f}, {0.414709f, 0.110431f, 0.504662f}, {0.463508f, 0.129893f, 0.507652f},
    {0.512831f, 0.148179f, 0.507648f}, {0.562866f, 0.165368f, 0.504692f}, {0.613617f, 0.181811f, 0.498536f},
    {0.664915f, 0.198075f, 0.488836f}, {0.716387f, 0.214982f, 0.475290f}, {0.767398f, 0.233705f, 0.457755f},
    {0.816914f, 0.255895f, 0.436461f}, {0.863320f, 0.283729f, 0.412403f}, {0.904281f, 0.319610f, 0.388137f},
    {0.937221f, 0.364929f, 0.368567f}, {0.960949f, 0.418323f, 0.359630f}, {0.976690f, 0.476226f, 0.364466f},
    {0.986700f, 0.535582f, 0.382210f}, {0.992785f, 0.594891f, 0.410283f}, {0.996096f, 0.653659f, 0.446213f},
    {0.997325f, 0.711848f, 0.488154f}, {0.996898f, 0.769591f, 0.534892f}, {0.995131f, 0.827052f, 0.585701f},
    {0.992440f, 0.884330f, 0.640099f}, {0.989434f, 0.941470f, 0.697519f}, {0.987053f, 0.991438f, 0.749504f},
}};

// White to black (matplotlib "Greys" runs from 1.0 to 0.0 in lightness).
constexpr std::array<Colormap::Anchor, 2> kGreys{{{1.0f, 1.0f, 1.0f}, {0.0f, 0.0f, 0.0f}}};

// ColorBrewer RdBu, 9 classes, reversed: #2166ac #4393c3 #92c5de #d1e5f0 #f7f7f7 #fddbc7 #f4a582 #d6604d #b2182b.
constexpr std::array<Colormap::Anchor, 9> kRedBlue{{
    {0x21 / 255.0f, 0x66 / 255.0f, 0xac / 255.0f}, {0x43 / 255.0f, 0x93 / 255.0f, 0xc3 / 255.0f},
    {0x92 / 255.0f, 0xc5 / 255.0f, 0xde / 255.0f}, {0xd1 / 255.0f, 0xe5 / 255.0f, 0xf0 / 255.0f},
    {0xf7 / 255.0f, 0xf7 / 255.0f, 0xf7 / 255.0f}, {0xfd / 255.0f, 0xdb / 255.0f, 0xc7 / 255.0f},
    {0xf4 / 255.0f, 0xa5 / 255.0f, 0x82 / 255.0f}, {0xd6 / 255.0f, 0x60 / 255.0f, 0x4d / 255.0f},
    {0xb2 / 255.0f, 0x18 / 255.0f, 0x2b / 255.0f},
}};

constexpr int kNaNGrey = 128;
constexpr double kLastEntry = 255.0;
constexpr std::size_t kMatplotlibStride = 8;  // every 8th entry of the 256
constexpr std::size_t kGreysStride = 255;     // just both ends
constexpr std::size_t kRedBlueStride = 32;    // 9 anchors over 0..255; the white one at entry 128

int toByte(float v) { return std::clamp(static_cast<int>(std::lround(v * 255.0f)), 0, 255); }

}  // namespace

const Colormap& Colormap::byId(ColormapId id) {
  static const Colormap viridis(ColormapId::Viridis, QStringLiteral("viridis"), kViridis, kMatplotlibStride);
  static const Colormap magma(ColormapId::Magma, QStringLiteral("magma"), kMagma, kMatplotlibStride);
  static const Colormap greys(ColormapId::Greys, QStringLiteral("greys"), kGreys, kGreysStride);
  static const Colormap redBlue(ColormapId::RedBlue, QStringLiteral("red-blue"), kRedBlue, kRedBlueStride);
  switch (id) {
    case ColormapId::Viridis: return viridis;
    case ColormapId::Magma: return magma;
    case ColormapId::Greys: return greys;
    case ColormapId::RedBlue: return redBlue;
  }
  return viridis;
}

std::vector<ColormapId> Colormap::all() { return {ColormapId::Viridis, ColormapId::Magma, ColormapId::Greys}; }

QRgb Colormap::rgb(double t) const {
  if (std::isnan(t)) return qRgb(kNaNGrey, kNaNGrey, kNaNGrey);
  t = std::clamp(t, 0.0, 1.0);
  // Anchor k stands for entry min(k * stride, 255) of a 256-entry table; the last gap may be shorter.
  const double entry = t * kLastEntry;
  const std::size_t i = std::min(static_cast<std::size_t>(entry / stride_), anchors_.size() - 2);
  const double from = static_cast<double>(i * stride_);
  const double to = std::min(static_cast<double>((i + 1) * stride_), kLastEntry);
  const float f = static_cast<float>(std::clamp((entry - from) / (to - from), 0.0, 1.0));
  const Anchor& a = anchors_[i];
  const Anchor& b = anchors_[i + 1];
  return qRgb(toByte(a.r + (b.r - a.r) * f), toByte(a.g + (b.g - a.g) * f), toByte(a.b + (b.b - a.b) * f));
}

QVector<QRgb> Colormap::table(int size) const {
  QVector<QRgb> out;
  out.reserve(size);
  for (int i = 0; i < size; ++i) out.push_back(rgb(size == 1 ? 0.0 : static_cast<double>(i) / (size - 1)));
  return out;
}

QColor Colormap::textColorOn(double t) const { return textColorOnFill(rgb(t)); }

QColor Colormap::textColorOnFill(QRgb c) {
  // Rec. 709 luma of the sRGB values; 0.5 is where black and white text read about equally.
  const double luma = (0.2126 * qRed(c) + 0.7152 * qGreen(c) + 0.0722 * qBlue(c)) / 255.0;
  return luma > 0.5 ? QColor(Qt::black) : QColor(Qt::white);
}

}  // namespace attnviz::ui
