// TokenStrip: a row of tokens drawn as chips that wrap onto further lines, hoverable and clickable
// (the translation under the alignment heatmap). Hovering a chip emits hovered(index), leaving emits
// hovered(-1); setHighlight marks one chip without emitting anything.
//
//   auto* strip = new TokenStrip(tr("Translation"), this);
//   strip->setTokens({"le", "chat", "<eos>"});
//   connect(strip, &TokenStrip::hovered, this, [ws](int i) { ws->selection().setCell(i, Selection::kNone); });
#pragma once

#include <QStringList>
#include <QWidget>
#include <vector>

namespace attnviz::ui {

class TokenStrip : public QWidget {
  Q_OBJECT

 public:
  explicit TokenStrip(const QString& caption, QWidget* parent = nullptr);
  void setCaption(const QString& caption);  // "Translation", or "Forced target" when the rows are one
  QString caption() const { return caption_; }

  void setTokens(const QStringList& tokens);
  const QStringList& tokens() const { return tokens_; }
  void setHighlight(int index);
  int highlight() const { return highlight_; }
  QRect chipRect(int index) const;  // in widget coordinates, for tests; empty when out of range
  int chipAt(const QPoint& pos) const;

  bool hasHeightForWidth() const override { return true; }
  int heightForWidth(int width) const override;
  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 signals:
  void hovered(int index);
  void clicked(int index);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  std::vector<QRect> layoutChips(int width) const;

  QString caption_;
  QStringList tokens_;
  std::vector<QRect> chips_;
  int highlight_ = -1;
  int hover_ = -1;
};

}  // namespace attnviz::ui
