// The engine stays free of GUI code: no widgets or painting anywhere in engine/, and Qt headers (QtCore,
// QuaZip, and QImage/QImageReader for decoding image files) only inside engine/io/*.cpp, never in a header.
// The UI and the CLI use only the engine's public headers (engine/public_headers.txt).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;

TEST(Layering, EngineHasNoGuiAndQtOnlyInsideIoSources) {
  const fs::path engine = fs::path(ATTNVIZ_SOURCE_DIR) / "engine";
  const std::regex qtInclude(R"(^\s*#\s*include\s*[<"](Q[A-Za-z]*|quazip[^>"]*|Qt[A-Za-z]*/[^>"]*)[>"])");
  const std::regex guiInclude(R"(^\s*#\s*include\s*[<"](QtGui|QtWidgets|QWidget|QImage|QPainter|QColor)[/>"])");
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(engine)) {
    const auto ext = entry.path().extension();
    if (ext != ".h" && ext != ".cpp") continue;
    ++files;
    const bool ioSource = entry.path().parent_path().filename() == "io" && ext == ".cpp";
    std::ifstream in(entry.path());
    std::string line;
    for (int lineNo = 1; std::getline(in, line); ++lineNo) {
      const std::string where = entry.path().string() + ":" + std::to_string(lineNo) + ": " + line;
      const bool imageDecoding = ioSource && std::regex_search(line, std::regex(R"(#\s*include\s*<QImage(Reader)?>)"));
      if (!imageDecoding) EXPECT_FALSE(std::regex_search(line, guiInclude)) << "GUI include in the engine: " << where;
      if (!ioSource) EXPECT_FALSE(std::regex_search(line, qtInclude)) << "Qt outside engine/io sources: " << where;
    }
  }
  EXPECT_GT(files, 10);
}

// ui/ and app/ include only the engine headers engine/public_headers.txt lists (a path, or a folder's "*.h").
TEST(Layering, UiAndAppIncludeOnlyPublicEngineHeaders) {
  const fs::path root(ATTNVIZ_SOURCE_DIR);
  std::ifstream list(root / "engine" / "public_headers.txt");
  ASSERT_TRUE(list) << "engine/public_headers.txt is missing";
  std::vector<std::string> publicPaths, publicFolders;
  for (std::string line; std::getline(list, line);) {
    if (line.empty() || line.front() == '#') continue;
    if (line.ends_with("/*.h")) publicFolders.push_back(line.substr(0, line.size() - 3));  // "engine/api/"
    else publicPaths.push_back(line);
  }
  ASSERT_FALSE(publicPaths.empty() && publicFolders.empty());
  for (const std::string& folder : publicFolders) EXPECT_TRUE(fs::is_directory(root / folder)) << folder;
  for (const std::string& path : publicPaths) EXPECT_TRUE(fs::is_regular_file(root / path)) << path;

  const std::regex engineInclude(R"re(^\s*#\s*include\s*"(engine/[^"]+)")re");
  int includes = 0;
  for (const char* folder : {"ui", "app"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
      const auto ext = entry.path().extension();
      if (ext != ".h" && ext != ".cpp") continue;
      std::ifstream in(entry.path());
      std::string line;
      for (int lineNo = 1; std::getline(in, line); ++lineNo) {
        std::smatch m;
        if (!std::regex_search(line, m, engineInclude)) continue;
        ++includes;
        const std::string header = m[1];
        const bool inFolder = std::any_of(publicFolders.begin(), publicFolders.end(), [&](const std::string& f) {
          return header.starts_with(f) && header.find('/', f.size()) == std::string::npos;
        });
        const bool listed = std::find(publicPaths.begin(), publicPaths.end(), header) != publicPaths.end();
        EXPECT_TRUE(inFolder || listed) << "an internal engine header outside the engine: "
                                        << fs::relative(entry.path(), root).string() << ":" << lineNo << ": " << line
                                        << "\n  use the public API (engine/public_headers.txt) or make the header public there";
      }
    }
  }
  EXPECT_GT(includes, 20);
}

// ui/ rooms (ui/README.md): a kind's folder includes no other kind's files; the generic rooms (document, session,
// export, panels, maps, compare) include no kind's files but the kind table (ui/kinds/kind_ui.h), which is how they
// learn what a kind has; and only the shell (the window) includes the shell.
TEST(Layering, UiRoomsIncludeNoOtherKindAndNothingAboveThem) {
  const fs::path ui = fs::path(ATTNVIZ_SOURCE_DIR) / "ui";
  // Known crossings, to be removed (ui/README.md, "Rooms"): the comparison still draws vit maps over their image
  // itself, instead of asking the kind table for them. No other may be added,
  // and an entry that no longer occurs fails too, so the list only shrinks.
  std::set<std::string> known = {
      "compare/compare_panel.h -> kinds/vit/patch_painter.h",
      "compare/compare_panel.cpp -> kinds/vit/trace_image.h",
      "compare/patch_comparison.h -> kinds/vit/patch_painter.h",
      "compare/patch_comparison.cpp -> kinds/vit/patch_maps.h",
  };
  const std::regex uiInclude(R"re(^\s*#\s*include\s*"ui/([^"]+)")re");
  // "kinds/vit/patch_panel.h" -> "kinds/vit"; "maps/colormap.h" -> "maps"; "kinds/kind_ui.h" -> "kinds".
  const auto roomOf = [](const std::string& path) {
    const std::size_t slash = path.find('/');
    const std::string room = path.substr(0, slash);
    if (room != "kinds") return room;
    const std::size_t second = path.find('/', slash + 1);
    return second == std::string::npos ? room : path.substr(0, second);
  };
  int includes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(ui)) {
    const auto ext = entry.path().extension();
    if (ext != ".h" && ext != ".cpp") continue;
    const std::string from = roomOf(fs::relative(entry.path(), ui).generic_string());
    std::ifstream in(entry.path());
    std::string line;
    for (int lineNo = 1; std::getline(in, line); ++lineNo) {
      std::smatch m;
      if (!std::regex_search(line, m, uiInclude)) continue;
      ++includes;
      const std::string to = roomOf(m[1]);
      const std::string where = fs::relative(entry.path(), ui).string() + ":" + std::to_string(lineNo) + ": " + line;
      const bool toKind = to.starts_with("kinds/");
      if (known.erase(fs::relative(entry.path(), ui).generic_string() + " -> " + std::string(m[1]))) continue;
      if (from.starts_with("kinds/")) EXPECT_TRUE(!toKind || to == from) << "one kind including another's file: " << where;
      else if (from != "kinds" && from != "shell") EXPECT_FALSE(toKind) << "a generic room including a kind's file: " << where;
      if (from != "shell") EXPECT_NE(to, "shell") << "the shell included from below it: " << where;
    }
  }
  EXPECT_GT(includes, 100);
  for (const std::string& gone : known) ADD_FAILURE() << "a known crossing no longer occurs; remove it from the list: " << gone;
}
