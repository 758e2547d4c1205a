#include "ui/session/session_state.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>

#include "engine/core/error.h"

namespace attnviz::ui {
namespace {

const char* const kFormat = "attnviz-session";
constexpr int kMaxSelectionIndex = 1 << 20;  // a token, layer, head or patch index
constexpr int kMaxBeam = 32;
constexpr int kMaxStateBytes = 1 << 20;      // one saved window or splitter state (base64-decoded)

const char* sentenceModeName(attnviz::SentenceMode m) {
  switch (m) {
    case attnviz::SentenceMode::Lines: return "lines";
    case attnviz::SentenceMode::Split: return "split";
    case attnviz::SentenceMode::Auto: break;
  }
  return "auto";
}

const char* rolloutName(attnviz::RolloutFusion f) {
  switch (f) {
    case attnviz::RolloutFusion::Mean: return "mean";
    case attnviz::RolloutFusion::Max: return "max";
    case attnviz::RolloutFusion::Min: return "min";
    case attnviz::RolloutFusion::None: break;
  }
  return "none";
}

QString base64(const QByteArray& bytes) { return QString::fromLatin1(bytes.toBase64()); }

// Reads one session file's JSON with every lookup typed and bounded; errors name the file and the key.
class Reader {
 public:
  explicit Reader(const QString& path) : path_(path) {}

  [[noreturn]] void fail(const QString& key, const QString& what) const {
    throw attnviz::InputError(path_.toStdString(), QStringLiteral("\"%1\": %2").arg(key, what).toStdString());
  }

  QJsonObject object(const QJsonObject& o, const QString& key) const {
    const QJsonValue v = o.value(key);
    if (v.isUndefined()) return {};
    if (!v.isObject()) fail(key, QStringLiteral("must be an object"));
    return v.toObject();
  }
  QJsonArray array(const QJsonObject& o, const QString& key, int maxCount) const {
    const QJsonValue v = o.value(key);
    if (v.isUndefined()) return {};
    if (!v.isArray()) fail(key, QStringLiteral("must be an array"));
    const QJsonArray a = v.toArray();
    if (a.size() > maxCount) fail(key, QStringLiteral("has %1 entries; at most %2 are allowed").arg(a.size()).arg(maxCount));
    return a;
  }
  QString string(const QJsonObject& o, const QString& key, int maxChars, const QString& fallback = {}) const {
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull()) return fallback;
    if (!v.isString()) fail(key, QStringLiteral("must be a string"));
    const QString s = v.toString();
    if (s.size() > maxChars) fail(key, QStringLiteral("is %1 characters long; at most %2 are allowed").arg(s.size()).arg(maxChars));
    return s;
  }
  // Clamped into [lo, hi]: a hand-edited number out of range is not worth refusing the whole session.
  int integer(const QJsonObject& o, const QString& key, int lo, int hi, int fallback) const {
    const QJsonValue v = o.value(key);
    if (v.isUndefined()) return fallback;
    if (!v.isDouble()) fail(key, QStringLiteral("must be a number"));
    return static_cast<int>(std::clamp(v.toDouble(), static_cast<double>(lo), static_cast<double>(hi)));
  }
  double real(const QJsonObject& o, const QString& key, double lo, double hi, double fallback) const {
    const QJsonValue v = o.value(key);
    if (v.isUndefined()) return fallback;
    if (!v.isDouble()) fail(key, QStringLiteral("must be a number"));
    return std::clamp(v.toDouble(), lo, hi);
  }
  bool boolean(const QJsonObject& o, const QString& key, bool fallback) const {
    const QJsonValue v = o.value(key);
    if (v.isUndefined()) return fallback;
    if (!v.isBool()) fail(key, QStringLiteral("must be true or false"));
    return v.toBool();
  }
  template <typename Enum, std::size_t N>
  Enum choice(const QJsonObject& o, const QString& key, const std::pair<const char*, Enum> (&choices)[N], Enum fallback) const {
    const QString s = string(o, key, 64);
    if (s.isEmpty()) return fallback;
    QStringList names;
    for (const auto& [name, value] : choices) {
      if (s == QLatin1String(name)) return value;
      names << QLatin1String(name);
    }
    fail(key, QStringLiteral("is \"%1\"; expected one of %2").arg(s, names.join(QStringLiteral(", "))));
  }
  QByteArray state(const QJsonObject& o, const QString& key) const {
    const QString s = string(o, key, kMaxStateBytes * 4 / 3 + 4);
    const auto decoded = QByteArray::fromBase64Encoding(s.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) fail(key, QStringLiteral("is not base64"));
    return decoded.decoded;
  }
  // A model path: the relative one (resolved against the session's folder) when it exists there.
  QString modelPath(const QJsonValue& v, int index) const {
    const QString key = QStringLiteral("models[%1]").arg(index);
    if (!v.isObject()) fail(key, QStringLiteral("must be an object with \"path\""));
    const QJsonObject o = v.toObject();
    const QString absolute = string(o, QStringLiteral("path"), 4096);
    const QString relative = string(o, QStringLiteral("relative"), 4096);
    if (absolute.isEmpty() && relative.isEmpty()) fail(key, QStringLiteral("has no \"path\""));
    const QDir dir = QFileInfo(path_).absoluteDir();
    if (!relative.isEmpty() && QFileInfo::exists(dir.filePath(relative))) return QDir::cleanPath(dir.absoluteFilePath(relative));
    return absolute.isEmpty() ? QDir::cleanPath(dir.absoluteFilePath(relative)) : absolute;
  }

 private:
  QString path_;
};

}  // namespace

QByteArray sessionToJson(const SessionState& s, const QDir& sessionDir) {
  QJsonArray models;
  for (const QString& p : s.models) {
    const QString absolute = QFileInfo(p).absoluteFilePath();
    models.append(QJsonObject{{"path", absolute}, {"relative", sessionDir.relativeFilePath(absolute)}});
  }
  QJsonArray compared;
  for (int i : s.compared) compared.append(i);
  QJsonObject panels;
  for (auto it = s.panels.begin(); it != s.panels.end(); ++it) panels.insert(it.key(), it.value());
  QJsonObject splitters;
  for (auto it = s.splitters.begin(); it != s.splitters.end(); ++it) splitters.insert(it.key(), base64(it.value()));
  QJsonArray notes;
  for (const SessionNote& n : s.notes) notes.append(QJsonObject{{"model", n.model}, {"view", n.view}, {"text", n.text}});

  const QJsonObject root{
      {"format", kFormat},
      {"version", SessionState::kVersion},
      {"models", models},
      {"current", s.current},
      {"input", QJsonObject{{"text", s.input}, {"image", s.image}, {"target", s.target}, {"target_source", s.targetSource},
                            {"target_kept", s.targetKept}, {"beam", s.run.beam},
                            {"sentences", sentenceModeName(s.run.sentences)}}},
      {"run", QJsonObject{{"rollout", rolloutName(s.run.rollout)}, {"discard", s.run.rolloutDiscard}, {"bf16", s.run.bf16},
                          {"token_ids", s.tokenIds}}},
      {"selection", QJsonObject{{"layer", s.layer}, {"head", s.head}, {"row", s.row}, {"column", s.column},
                                {"sentence", s.sentence}, {"patch", s.patch}, {"hypothesis", s.hypothesis}}},
      {"compare", QJsonObject{{"models", compared}, {"reference", s.reference},
                              {"target", s.compareTarget == CompareTarget::OwnOutput ? "own-output" : "reference-output"}}},
      {"layout", QJsonObject{{"tab", s.tab}, {"splitters", splitters}, {"window", base64(s.windowState)},
                             {"geometry", base64(s.windowGeometry)}}},
      {"panels", panels},
      {"notes", notes},
  };
  return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

SessionState sessionFromJson(const QByteArray& json, const QString& path) {
  const Reader r(path);
  if (json.size() > kMaxSessionBytes) r.fail(QStringLiteral("(file)"), QStringLiteral("larger than %1 MiB").arg(kMaxSessionBytes >> 20));
  QJsonParseError error;
  const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
  if (error.error != QJsonParseError::NoError)
    throw attnviz::InputError(path.toStdString(), QStringLiteral("not JSON (%1 at byte %2)").arg(error.errorString()).arg(error.offset).toStdString());
  if (!doc.isObject()) throw attnviz::InputError(path.toStdString(), "not an attnviz session: the JSON is not an object");
  const QJsonObject root = doc.object();
  if (root.value(QStringLiteral("format")).toString() != QLatin1String(kFormat))
    r.fail(QStringLiteral("format"), QStringLiteral("must be \"%1\" (is this an attnviz session file?)").arg(QLatin1String(kFormat)));
  const int version = r.integer(root, QStringLiteral("version"), 0, 1 << 20, 0);
  if (version < 1 || version > SessionState::kVersion)
    r.fail(QStringLiteral("version"), QStringLiteral("%1 is not supported (this attnviz reads version %2)").arg(version).arg(SessionState::kVersion));

  SessionState s;
  const QJsonArray models = r.array(root, QStringLiteral("models"), kMaxSessionModels);
  for (int i = 0; i < models.size(); ++i) s.models << r.modelPath(models[i], i);
  s.current = s.models.isEmpty() ? -1 : r.integer(root, QStringLiteral("current"), 0, static_cast<int>(s.models.size()) - 1, 0);

  const QJsonObject input = r.object(root, QStringLiteral("input"));
  s.input = r.string(input, QStringLiteral("text"), kMaxSessionTextChars);
  s.image = r.string(input, QStringLiteral("image"), 4096);
  s.target = r.string(input, QStringLiteral("target"), kMaxSessionTextChars);
  // A file from before the target kept its sentence: it was shown with the session's input.
  s.targetSource = input.contains(QStringLiteral("target_source")) ? r.string(input, QStringLiteral("target_source"), kMaxSessionTextChars)
                                                                   : s.input;
  s.targetKept = r.boolean(input, QStringLiteral("target_kept"), false);
  s.run.beam = r.integer(input, QStringLiteral("beam"), 1, kMaxBeam, s.run.beam);
  static const std::pair<const char*, attnviz::SentenceMode> kModes[] = {
      {"auto", attnviz::SentenceMode::Auto}, {"lines", attnviz::SentenceMode::Lines}, {"split", attnviz::SentenceMode::Split}};
  s.run.sentences = r.choice(input, QStringLiteral("sentences"), kModes, s.run.sentences);

  const QJsonObject run = r.object(root, QStringLiteral("run"));
  static const std::pair<const char*, attnviz::RolloutFusion> kFusions[] = {
      {"none", attnviz::RolloutFusion::None}, {"mean", attnviz::RolloutFusion::Mean},
      {"max", attnviz::RolloutFusion::Max}, {"min", attnviz::RolloutFusion::Min}};
  s.run.rollout = r.choice(run, QStringLiteral("rollout"), kFusions, s.run.rollout);
  s.run.rolloutDiscard = r.real(run, QStringLiteral("discard"), 0.0, 0.99, 0.0);
  s.run.bf16 = r.boolean(run, QStringLiteral("bf16"), false);
  s.tokenIds = r.boolean(run, QStringLiteral("token_ids"), false);

  const QJsonObject sel = r.object(root, QStringLiteral("selection"));
  s.layer = r.integer(sel, QStringLiteral("layer"), 0, kMaxSelectionIndex, 0);
  s.head = r.integer(sel, QStringLiteral("head"), 0, kMaxSelectionIndex, 0);
  s.row = r.integer(sel, QStringLiteral("row"), -1, kMaxSelectionIndex, -1);
  s.column = r.integer(sel, QStringLiteral("column"), -1, kMaxSelectionIndex, -1);
  s.sentence = r.integer(sel, QStringLiteral("sentence"), -1, kMaxSelectionIndex, -1);
  s.patch = r.integer(sel, QStringLiteral("patch"), -1, kMaxSelectionIndex, -1);
  s.hypothesis = r.integer(sel, QStringLiteral("hypothesis"), 0, kMaxBeam - 1, 0);

  const QJsonObject compare = r.object(root, QStringLiteral("compare"));
  for (const QJsonValue& v : r.array(compare, QStringLiteral("models"), kMaxSessionModels)) {
    if (!v.isDouble() || v.toDouble() < 0 || v.toDouble() >= s.models.size())
      r.fail(QStringLiteral("compare.models"), QStringLiteral("must hold indices into \"models\" (0 to %1)").arg(s.models.size() - 1));
    s.compared << static_cast<int>(v.toDouble());
  }
  s.reference = r.integer(compare, QStringLiteral("reference"), -1, kMaxSessionModels, -1);
  static const std::pair<const char*, CompareTarget> kTargets[] = {
      {"reference-output", CompareTarget::ReferenceOutput}, {"own-output", CompareTarget::OwnOutput}};
  s.compareTarget = r.choice(compare, QStringLiteral("target"), kTargets, s.compareTarget);

  const QJsonObject layout = r.object(root, QStringLiteral("layout"));
  s.tab = r.string(layout, QStringLiteral("tab"), 256);
  s.windowState = r.state(layout, QStringLiteral("window"));
  s.windowGeometry = r.state(layout, QStringLiteral("geometry"));
  const QJsonObject splitters = r.object(layout, QStringLiteral("splitters"));
  if (splitters.size() > kMaxSessionPanels) r.fail(QStringLiteral("layout.splitters"), QStringLiteral("has too many entries"));
  for (auto it = splitters.begin(); it != splitters.end(); ++it) s.splitters.insert(it.key(), r.state(splitters, it.key()));

  const QJsonObject panels = r.object(root, QStringLiteral("panels"));
  if (panels.size() > kMaxSessionPanels) r.fail(QStringLiteral("panels"), QStringLiteral("has too many entries"));
  for (auto it = panels.begin(); it != panels.end(); ++it) s.panels.insert(it.key(), r.object(panels, it.key()));

  const QJsonArray notes = r.array(root, QStringLiteral("notes"), kMaxSessionNotes);
  for (int i = 0; i < notes.size(); ++i) {
    if (!notes[i].isObject()) r.fail(QStringLiteral("notes[%1]").arg(i), QStringLiteral("must be an object"));
    const QJsonObject n = notes[i].toObject();
    s.notes.append({r.string(n, QStringLiteral("model"), 4096), r.string(n, QStringLiteral("view"), 256),
                    r.string(n, QStringLiteral("text"), kMaxSessionNoteChars)});
  }
  return s;
}

SessionState readSessionFile(const QString& path) {
  const QFileInfo info(path);
  if (!info.exists()) throw attnviz::InputError(path.toStdString(), "no such file");
  if (!info.isFile()) throw attnviz::InputError(path.toStdString(), "not a regular file");
  if (info.size() > kMaxSessionBytes)
    throw attnviz::InputError(path.toStdString(), QStringLiteral("%1 bytes; session files are limited to %2 MiB")
                                                      .arg(info.size()).arg(kMaxSessionBytes >> 20).toStdString());
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) throw attnviz::InputError(path.toStdString(), file.errorString().toStdString());
  return sessionFromJson(file.read(kMaxSessionBytes + 1), path);
}

}  // namespace attnviz::ui
