// parseCommandLine: the grammar of the command line, without running anything.
#include <gtest/gtest.h>

#include "app/cli_args.h"
#include "engine/api/model_kind.h"
#include "engine/core/error.h"

using attnviz::cli::CliCommand;
using attnviz::cli::InputSpec;
using attnviz::cli::parseCommandLine;

TEST(CliArgs, RunKeepsInputsInOrder) {
  const CliCommand c = parseCommandLine({"run", "--model", "m", "--lines", "a.txt", "--text", "hi", "--image", "x.png",
                                         "--text-file", "t.txt", "--rollout", "min", "--beam", "4", "--out", "-"});
  EXPECT_EQ(c.name, CliCommand::Name::Run);
  EXPECT_EQ(c.model, "m");
  ASSERT_EQ(c.inputs.size(), 4u);
  EXPECT_EQ(c.inputs[0].kind, InputSpec::Kind::Lines);
  EXPECT_EQ(c.inputs[1].kind, InputSpec::Kind::Text);
  EXPECT_EQ(c.inputs[1].value, "hi");
  EXPECT_EQ(c.inputs[2].kind, InputSpec::Kind::Image);
  EXPECT_EQ(c.inputs[3].kind, InputSpec::Kind::TextFile);
  EXPECT_EQ(c.rollout, attnviz::RolloutFusion::Min);
  EXPECT_EQ(c.beam, 4);
  EXPECT_EQ(c.out, "-");
}

TEST(CliArgs, DiscardRatioGoesWithRollout) {
  const std::vector<std::string> base = {"run", "--model", "m", "--text", "x", "--out", "-"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  EXPECT_EQ(parseCommandLine(base).discardRatio, 0.0);
  EXPECT_DOUBLE_EQ(parseCommandLine(with({"--rollout", "max", "--discard-ratio", "0.9"})).discardRatio, 0.9);
  EXPECT_DOUBLE_EQ(parseCommandLine(with({"--discard-ratio", "0", "--rollout", "mean"})).discardRatio, 0.0);
  for (const char* bad : {"1", "1.5", "-0.1", "x", "0.5x", "nan"}) {
    try {
      parseCommandLine(with({"--rollout", "mean", "--discard-ratio", bad}));
      ADD_FAILURE() << "no error for --discard-ratio " << bad;
    } catch (const attnviz::UsageError& e) {
      EXPECT_EQ(e.where(), "--discard-ratio") << e.message();
      EXPECT_NE(e.message().find("up to (not including) 1"), std::string::npos) << e.message();
    }
  }
  try {
    parseCommandLine(with({"--discard-ratio", "0.5"}));  // without --rollout
    ADD_FAILURE() << "--discard-ratio without --rollout was accepted";
  } catch (const attnviz::UsageError& e) {
    EXPECT_EQ(e.where(), "--discard-ratio");
    EXPECT_NE(e.message().find("--rollout"), std::string::npos) << e.message();
  }
}

TEST(CliArgs, GuiTakesModelsAndTexts) {
  const CliCommand c = parseCommandLine({"models/a", "models/b.zip", "--text", "hello"});
  EXPECT_EQ(c.name, CliCommand::Name::Gui);
  EXPECT_EQ(c.guiModels, (std::vector<std::string>{"models/a", "models/b.zip"}));
  ASSERT_EQ(c.inputs.size(), 1u);
  EXPECT_EQ(parseCommandLine({}).name, CliCommand::Name::Gui);
}

TEST(CliArgs, InfoAndBench) {
  EXPECT_TRUE(parseCommandLine({"info", "m", "--json"}).json);
  const CliCommand b = parseCommandLine({"bench", "--model", "m", "--text", "x", "--runs", "7", "--threads", "1"});
  EXPECT_EQ(b.runs, 7);
  EXPECT_EQ(b.threads, 1);
}

TEST(CliArgs, UsageErrorsNameTheOption) {
  struct Case {
    std::vector<std::string> args;
    std::string where;
  };
  const std::vector<Case> cases = {
      {{"run", "--model", "m", "--text", "x", "--out", "-", "--beam", "0"}, "--beam"},
      {{"run", "--model", "m", "--text", "x", "--out", "-", "--beam", "3x"}, "--beam"},
      {{"run", "--model", "m", "--text", "x", "--out", "-", "--rollout", "avg"}, "--rollout"},
      {{"run", "--model", "m", "--text", "x", "--out"}, "--out"},
      {{"run", "--model", "m", "--text", "x", "--target", "a", "--target-lines", "b", "--out", "-"}, "--target"},
      {{"run", "--model", "m", "--out", "-"}, "run"},
      {{"run", "--model", "m", "--text", "x"}, "run"},
      {{"run", "--text", "x", "--out", "-", "--what"}, "--what"},
      {{"bench", "--model", "m"}, "bench"},
      {{"bench", "--model", "m", "--text", "x", "--threads", "99999"}, "--threads"},
      {{"info"}, "info"},
      {{"info", "a", "b"}, "b"},
      {{"--version", "extra"}, "extra"},
      {{"--nope"}, "--nope"},
  };
  for (const auto& c : cases) {
    try {
      parseCommandLine(c.args);
      ADD_FAILURE() << "no error for " << c.args.back();
    } catch (const attnviz::UsageError& e) {
      EXPECT_EQ(e.where(), c.where) << e.message();
    }
  }
}

TEST(CliArgs, AlignTakesModelSourceTargetGoldAndJson) {
  const CliCommand c = parseCommandLine({"align", "--gold", "dev.wa", "--model", "m", "--source", "dev.e", "--target",
                                         "dev.f", "--json"});
  EXPECT_EQ(c.name, CliCommand::Name::Align);
  EXPECT_EQ(c.model, "m");
  EXPECT_EQ(c.sourceFile, "dev.e");
  EXPECT_EQ(c.targetFile, "dev.f");
  EXPECT_EQ(c.goldFile, "dev.wa");
  EXPECT_TRUE(c.json);
  EXPECT_FALSE(c.target);  // --target of align is a file, not run's forced target text
  EXPECT_TRUE(c.inputs.empty());
  EXPECT_FALSE(parseCommandLine({"align", "--model", "m", "--source", "e", "--target", "f", "--gold", "g"}).json);
}

TEST(CliArgs, AlignUsageErrorsNameTheOption) {
  struct Case {
    std::vector<std::string> args;
    std::string where;
  };
  const std::vector<std::string> full = {"align", "--model", "m", "--source", "e", "--target", "f", "--gold", "g"};
  auto without = [&](const std::string& option) {
    std::vector<std::string> args;
    for (std::size_t i = 0; i < full.size(); ++i) {
      if (full[i] == option) ++i;
      else args.push_back(full[i]);
    }
    return args;
  };
  auto plus = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = full;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  const std::vector<Case> cases = {
      {without("--model"), "align"},
      {without("--source"), "align"},
      {without("--target"), "align"},
      {without("--gold"), "align"},
      {{"align"}, "align"},
      {{"align", "--model", "m", "--source", "e", "--target", "f", "--gold"}, "--gold"},
      {{"align", "--model"}, "--model"},
      {plus({"--text", "x"}), "--text"},
      {plus({"--beam", "2"}), "--beam"},
      {plus({"--out", "-"}), "--out"},
      {plus({"extra.txt"}), "extra.txt"},
  };
  for (const auto& c : cases) {
    try {
      parseCommandLine(c.args);
      ADD_FAILURE() << "no error for " << c.args.back();
    } catch (const attnviz::UsageError& e) {
      EXPECT_EQ(e.where(), c.where) << e.message();
    }
  }
}

TEST(CliArgs, HelpListsAlign) {
  EXPECT_NE(attnviz::cli::usageText().find("attnviz align --model MODEL --source FILE --target FILE [--gold FILE] "
                                           "[--links FILE] [--method M] [--layer L]"),
            std::string::npos);
  EXPECT_NE(attnviz::cli::usageText().find("[--head H] [--per-head] [--max-tokens N] [--max-model-size SIZE] [--json]"),
            std::string::npos);
}

TEST(CliArgs, AlignMethodIsCheckedBeforeTheModelLoads) {
  const std::vector<std::string> base{"align", "--model", "m", "--source", "s", "--target", "t", "--gold", "g"};
  auto with = [&](std::initializer_list<std::string> more) {
    std::vector<std::string> args = base;
    args.insert(args.end(), more);
    return args;
  };
  const auto c = attnviz::cli::parseCommandLine(with({"--method", "shift-att+threshold:0.3", "--layer", "2", "--per-head"}));
  EXPECT_EQ(c.alignMethod, "shift-att+threshold:0.3");
  EXPECT_EQ(c.layer, 2);
  EXPECT_TRUE(c.perHead);
  try {
    attnviz::cli::parseCommandLine(with({"--method", "maximum"}));
    ADD_FAILURE() << "an unknown method must be refused";
  } catch (const attnviz::UsageError& e) {
    EXPECT_EQ(e.where(), "--method");
    EXPECT_NE(e.message().find("shift-att"), std::string::npos) << e.message();
  }
}

// --help's kinds section is the kind table's: every kind with its description, its inputs and its options.
TEST(CliArgs, HelpListsEveryKindFromTheKindTable) {
  const std::string help = attnviz::cli::usageText();
  for (const attnviz::ModelKind* kind : attnviz::modelKinds()) {
    const std::size_t line = help.find("\n  " + kind->name + " ");
    ASSERT_NE(line, std::string::npos) << kind->name;
    const std::string text = help.substr(line, help.find('\n', line + 1) - line);
    EXPECT_NE(text.find(kind->description), std::string::npos) << text;
    EXPECT_EQ(text.find("--rollout") != std::string::npos, kind->can.selfAttention) << text;
    EXPECT_EQ(text.find("--image") != std::string::npos, kind->can.image) << text;
  }
  EXPECT_NE(help.find("model_type " + attnviz::hfModelTypeNames()), std::string::npos);
}

TEST(CliArgs, LimitsTakeNumbersWithBinarySuffixes) {
  const CliCommand run = parseCommandLine({"run", "--model", "m", "--text", "x", "--max-tokens", "100", "--max-image-pixels",
                                           "4M", "--max-model-size", "2g", "--out", "-"});
  EXPECT_EQ(run.maxTokens, 100);
  EXPECT_EQ(run.maxImagePixels, 4 << 20);
  EXPECT_EQ(run.maxModelBytes, 2LL << 30);
  const CliCommand defaults = parseCommandLine({"run", "--model", "m", "--text", "x", "--out", "-"});
  EXPECT_EQ(defaults.maxTokens, attnviz::kMaxTokensLimit.defaultValue);
  EXPECT_EQ(defaults.maxModelBytes, 8LL << 30);
  EXPECT_EQ(parseCommandLine({"info", "m", "--max-model-size", "512M"}).maxModelBytes, 512LL << 20);
  EXPECT_EQ(parseCommandLine({"bench", "--model", "m", "--text", "x", "--max-tokens", "1K"}).maxTokens, 1024);
  EXPECT_EQ(parseCommandLine({"align", "--model", "m", "--source", "e", "--target", "f", "--gold", "g", "--max-tokens", "50"})
                .maxTokens,
            50);
}

TEST(CliArgs, LimitsOutOfRangeOrMalformedNameTheOption) {
  const std::vector<std::vector<std::string>> bad = {
      {"--max-tokens", "1"},         {"--max-tokens", "2000000"}, {"--max-tokens", "-5"},
      {"--max-tokens", "ten"},       {"--max-tokens", ""},        {"--max-model-size", "100"},
      {"--max-model-size", "65G"},   {"--max-model-size", "9999999999999G"},
      {"--max-image-pixels", "0"},   {"--max-image-pixels", "1T"}, {"--max-image-pixels", "K"},
      {"--max-model-size", "-555111000000000422g"}};  // found by fuzz_cli_args: the product overflowed
  for (const auto& option : bad) {
    std::vector<std::string> args = {"run", "--model", "m", "--text", "x", "--out", "-"};
    args.insert(args.end(), option.begin(), option.end());
    try {
      parseCommandLine(args);
      ADD_FAILURE() << "no error for " << option[0] << " " << option[1];
    } catch (const attnviz::UsageError& e) {
      EXPECT_EQ(e.where(), option[0]) << e.message();
      EXPECT_NE(e.message().find(" to "), std::string::npos) << e.message();
    }
  }
  try {
    parseCommandLine({"info", "m", "--max-tokens", "5"});
    ADD_FAILURE() << "info took --max-tokens";
  } catch (const attnviz::UsageError& e) {
    EXPECT_EQ(e.where(), "--max-tokens");
  }
}

TEST(CliArgs, ExportTakesInputsViewLayerHeadFormatSizeAndDpi) {
  const CliCommand c = parseCommandLine({"export", "--model", "m", "--text-dir", "docs", "--image", "a.png", "--view", "arcs",
                                         "--layer", "3", "--head", "0", "--rollout", "max", "--discard-ratio", "0.5",
                                         "--format", "pdf", "--size", "800x600", "--dpi", "300", "--bf16", "--out", "figs"});
  EXPECT_EQ(c.name, CliCommand::Name::Export);
  EXPECT_EQ(c.model, "m");
  ASSERT_EQ(c.inputs.size(), 2u);
  EXPECT_EQ(c.inputs[0].kind, InputSpec::Kind::TextDir);
  EXPECT_EQ(c.inputs[1].kind, InputSpec::Kind::Image);
  EXPECT_EQ(c.view, "arcs");
  EXPECT_EQ(c.layer, 3);
  EXPECT_EQ(c.head, 0);
  EXPECT_EQ(c.rollout, attnviz::RolloutFusion::Max);
  EXPECT_DOUBLE_EQ(c.discardRatio, 0.5);
  EXPECT_EQ(c.figureFormat, attnviz::cli::FigureFileFormat::Pdf);
  EXPECT_EQ(c.figureSize, std::make_pair(800, 600));
  EXPECT_EQ(c.dpi, 300);
  EXPECT_TRUE(c.bf16);
  EXPECT_EQ(c.out, "figs");
}

TEST(CliArgs, ExportDefaults) {
  const CliCommand c = parseCommandLine({"export", "--model", "m", "--lines", "l.txt", "--out", "figs"});
  EXPECT_EQ(c.view, "");  // the model kind's main view, decided once the model is loaded
  EXPECT_FALSE(c.layer.has_value());
  EXPECT_FALSE(c.head.has_value());
  EXPECT_EQ(c.figureFormat, attnviz::cli::FigureFileFormat::Png);
  EXPECT_FALSE(c.figureSize.has_value());
  EXPECT_EQ(c.dpi, attnviz::cli::kDefaultFigureDpi);
  EXPECT_EQ(parseCommandLine({"export", "--model", "m", "--text", "x", "--format", "svg", "--out", "d"}).figureFormat,
            attnviz::cli::FigureFileFormat::Svg);
  EXPECT_EQ(parseCommandLine({"export", "--model", "m", "--text", "x", "--size", "16X8000", "--out", "d"}).figureSize,
            std::make_pair(16, 8000));
}

TEST(CliArgs, ExportUsageErrorsNameTheOption) {
  const std::vector<std::string> base = {"export", "--model", "m", "--text", "x", "--out", "d"};
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--view", "pie"}, "--view"},
      {{"--view"}, "--view"},
      {{"--layer", "-1"}, "--layer"},
      {{"--layer", "two"}, "--layer"},
      {{"--head", "1.5"}, "--head"},
      {{"--format", "jpeg"}, "--format"},
      {{"--size", "800"}, "--size"},
      {{"--size", "800x"}, "--size"},
      {{"--size", "8x600"}, "--size"},
      {{"--size", "800x9000"}, "--size"},
      {{"--size", "-800x600"}, "--size"},
      {{"--dpi", "20"}, "--dpi"},
      {{"--dpi", "5000"}, "--dpi"},
      {{"--discard-ratio", "0.5"}, "--discard-ratio"},  // without --rollout
      {{"--occlusion"}, "--occlusion"},                  // run's, not export's
      {{"--target", "t"}, "--target"},
  };
  for (const auto& [extra, where] : cases) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    try {
      parseCommandLine(args);
      ADD_FAILURE() << "no error for " << extra.front();
    } catch (const attnviz::UsageError& e) {
      EXPECT_EQ(e.where(), where) << e.message();
    }
  }
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"export", "--text", "x", "--out", "d"}, {"export", "--model", "m", "--out", "d"},
        {"export", "--model", "m", "--text", "x"}, {"export", "--model", "m", "--text", "x", "--out", ""}}) {
    try {
      parseCommandLine(args);
      ADD_FAILURE() << "export without --model, an input or --out was accepted";
    } catch (const attnviz::UsageError& e) {
      EXPECT_EQ(e.where(), "export") << e.message();
    }
  }
  try {
    parseCommandLine({"export", "--model", "m", "--text", "x", "--view", "pie", "--out", "d"});
    ADD_FAILURE() << "--view pie was accepted";
  } catch (const attnviz::UsageError& e) {
    EXPECT_NE(e.message().find("heatmap, arcs, saliency, patches, grid"), std::string::npos) << e.message();
  }
}

TEST(CliArgs, HelpListsExport) {
  const std::string help = attnviz::cli::usageText();
  EXPECT_NE(help.find("attnviz export --model MODEL INPUT... [--view heatmap|arcs|saliency|patches|grid|knockout|methods]"), std::string::npos);
  EXPECT_NE(help.find("attnviz faithfulness --model MODEL INPUT... --methods M,..."), std::string::npos);
  EXPECT_NE(help.find("--out DIR"), std::string::npos);
}
