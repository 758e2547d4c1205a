// Hover benchmark at 512 tokens (not a ctest test: speed is measured here, never asserted in tests).
// A fake encoder (12 layers x 12 heads) runs on 510 words ([CLS] + 510 + [SEP] = 512 tokens); the arcs panel, the
// heatmap (fitted, and zoomed 4x) and the all-heads grid are shown offscreen one at a time, and for each, 200 pointer
// moves over different tokens/cells are sent; each is timed from the move event to the end of the repaint it
// causes (all posted events and paints flushed). Prints median and 90th percentile ms per hover and the implied fps.
//
//   QT_QPA_PLATFORM=offscreen build/<dir>/tests/ui/ui_bench_hover_512 [hovers]
#include <QApplication>
#include <QElapsedTimer>
#include <QMouseEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

#include "tests/ui/fake_model.h"
#include "ui/kinds/encoder/arcs_panel.h"
#include "ui/kinds/encoder/heads_grid_panel.h"
#include "ui/maps/heatmap_panel.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;

namespace {

constexpr int kTokens = 512;
constexpr int kLayers = 12;
constexpr int kHeads = 12;
constexpr int kDefaultHovers = 200;
const QSize kPanelSize(1280, 800);

void flush() {
  QCoreApplication::sendPostedEvents();
  QCoreApplication::processEvents();
}

void waitFor(const std::function<bool()>& done, int ms) {
  QElapsedTimer t;
  t.start();
  while (!done() && t.elapsed() < ms) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

void move(QWidget* target, const QPointF& pos) {
  QMouseEvent e(QEvent::MouseMove, pos, target->mapToGlobal(pos), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
  QCoreApplication::sendEvent(target, &e);
}

// Times each hover: the move event, then the repaint of `painted` and whatever else it posted.
void measure(const char* name, QWidget* target, QWidget* painted, const std::vector<QPointF>& points) {
  std::vector<double> ms;
  ms.reserve(points.size());
  QElapsedTimer t;
  for (const QPointF& p : points) {
    t.start();
    move(target, p);
    painted->repaint();
    flush();
    ms.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
  }
  std::sort(ms.begin(), ms.end());
  const double median = ms[ms.size() / 2];
  const double p90 = ms[ms.size() * 9 / 10];
  std::printf("%-28s %4zu hovers: median %7.2f ms, p90 %7.2f ms -> %6.0f fps\n", name, ms.size(), median, p90, 1000.0 / median);
}

template <typename P>
std::unique_ptr<P> showPanel(Workspace& ws) {
  auto panel = std::make_unique<P>();
  panel->setWorkspace(&ws);
  panel->resize(kPanelSize);
  panel->show();
  flush();
  return panel;
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  const int hovers = argc > 1 ? std::max(10, std::atoi(argv[1])) : kDefaultHovers;

  Workspace ws;
  ws.setDebounceMs(0);
  ws.addModel(std::make_shared<attnviz::test::FakeModel>(attnviz::test::FakeModel::Options{.layers = kLayers, .heads = kHeads}),
              QStringLiteral("fake:encoder"));
  QStringList words;
  for (int i = 0; i < kTokens - 2; ++i) words << QStringLiteral("w%1").arg(i % 37);
  ws.setInputText(words.join(QLatin1Char(' ')));
  waitFor([&] { return ws.trace() && ws.trace()->sourceTokens.size() == kTokens; }, 120000);
  if (!ws.trace()) {
    std::fprintf(stderr, "bench_hover_512: no trace\n");
    return 1;
  }
  std::printf("512 tokens, %d layers x %d heads, panels %dx%d offscreen\n", kLayers, kHeads, kPanelSize.width(), kPanelSize.height());

  {  // Arcs: one head and all heads; tokens in view (the canvas scrolls; hover reaches what is on screen).
    auto arcs = showPanel<ArcsPanel>(ws);
    ArcsView* view = arcs->view();
    const QRect shown(QPoint(0, view->verticalScrollBar()->value()), view->viewport()->size());
    std::vector<int> visible;
    for (int g = 0; g < view->data().size(); ++g)
      if (shown.contains(view->groupCenter(g).toPoint())) visible.push_back(g);
    std::vector<QPointF> points;
    for (int i = 0; i < hovers; ++i) points.push_back(view->groupCenter(visible[static_cast<std::size_t>(i * 7) % visible.size()]));
    arcs->setAllHeads(false);
    flush();
    measure("arcs, one head", view->canvas(), view->canvas(), points);
    arcs->setAllHeads(true);
    flush();
    measure("arcs, all 12 heads", view->canvas(), view->canvas(), points);
  }
  {  // Heatmap of one head, 512 x 512 cells: fitted, then zoomed 4x (scrolled to the middle).
    auto heatmap = showPanel<HeatmapPanel>(ws);
    HeatmapView* view = heatmap->view();
    std::vector<QPointF> points;
    for (int i = 0; i < hovers; ++i) points.push_back(view->cellCenter((i * 37) % kTokens, (i * 101) % kTokens));
    measure("heatmap, fitted", view, view, points);
    heatmap->setZoom(4.0);
    flush();
    QScrollArea* scroll = heatmap->scrollArea();
    scroll->horizontalScrollBar()->setValue(scroll->horizontalScrollBar()->maximum() / 2);
    scroll->verticalScrollBar()->setValue(scroll->verticalScrollBar()->maximum() / 2);
    flush();
    const QRect shown(QPoint(scroll->horizontalScrollBar()->value(), scroll->verticalScrollBar()->value()), scroll->viewport()->size());
    points.clear();
    for (int i = 0; i < hovers; ++i) {
      const double fx = ((i * 37) % 97) / 97.0, fy = ((i * 61) % 89) / 89.0;
      points.emplace_back(shown.left() + fx * shown.width(), shown.top() + fy * shown.height());
    }
    measure("heatmap, zoomed 4x", view, view, points);
  }
  {  // All heads: 144 thumbnails of 512 x 512.
    auto grid = showPanel<HeadsGridPanel>(ws);
    std::vector<QPointF> points;
    for (int i = 0; i < hovers; ++i) points.push_back(grid->thumbnailCenter((i * 5) % kLayers, (i * 7) % kHeads));
    measure("all heads grid", grid->canvas(), grid->canvas(), points);
  }
  return 0;
}
