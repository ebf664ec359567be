// Tests for core/model: shapes through every network part at the tiny architecture's
// sizes, the autoencoder's causality, padding-independence of the text encoder, rotary
// positions and the tokenizer.

#include "io/model_pack.h"
#include "model/autoencoder.h"
#include "model/compat.h"
#include "model/modules.h"
#include "model/text_encoder.h"
#include "model/transformer.h"

#include <torch/torch.h>

#include <QTest>

#include <functional>

using namespace kinora;
using namespace kinora::model;

namespace {

using Ids = std::vector<std::int64_t>;

QString shapeText(const torch::Tensor& t)
{
    QStringList dims;
    for (auto d : t.sizes())
        dims << QString::number(d);
    return "[" + dims.join(", ") + "]";
}

// Each resolution step after the first halves the frame size; pixel unshuffle divides it
// once more before the first.
int spatialFactor(const AutoencoderConfig& c)
{
    return c.pixelShuffle * (1 << (static_cast<int>(c.channels.size()) - 1));
}

// The two ways the autoencoder can treat a group of four frames: stacked along channels
// at the input (the tiny architecture), or one feature map per frame in the outer level,
// behind a 2x pixel unshuffle (as kinora-shapes-v2).
AutoencoderConfig aeVariant(AutoencoderConfig c, const QString& variant)
{
    if (variant == "per-frame") {
        c.channels = { 8, 16, 16 };
        c.frameLevels = 1;
        c.pixelShuffle = 2;
    } else if (variant == "temporal-decoder") { // causal temporal blocks after both decoder levels
        c.channels = { 8, 16, 16 };
        c.pixelShuffle = 2;
        c.decoderTemporalLevels = 2;
    }
    return c;
}

void addVariants()
{
    QTest::addColumn<QString>("variant");
    QTest::newRow("stacked") << QString("stacked");
    QTest::newRow("per-frame") << QString("per-frame");
    QTest::newRow("temporal-decoder") << QString("temporal-decoder");
}

double maxDiff(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a - b).abs().max().item<double>();
}

// Fills the zero-initialised weight tensors (AdaLN-Zero, output layers) so that every
// path through the network is live.
void fillZeroWeights(torch::nn::Module& m)
{
    for (auto& p : m.named_parameters())
        if (p.value().count_nonzero().item<int64_t>() == 0 && p.key().find("bias") == std::string::npos)
            p.value().normal_(0.0, 0.02);
}

// A batch of two small windows (2 latent frames of 4 x 4) with a 3-token caption.
struct DitInputs {
    torch::Tensor x, known, mask, t, text, textMask;
    explicit DitInputs(const TransformerConfig& c)
        : x(torch::randn({ 2, c.latentChannels, 2, 4, 4 }))
        , known(torch::zeros_like(x))
        , mask(torch::zeros({ 2, 1, 2, 4, 4 }))
        , t(torch::tensor({ 0.5f, 0.5f }))
        , text(torch::randn({ 2, 3, c.textWidth }))
        , textMask(torch::ones({ 2, 3 }, torch::kBool))
    {
    }
};

// How much the tokens of the first clip of a velocity [B, C, T, h, w] differ from their
// mean (p x p patches): ~0 when every place and time gets the same output.
double tokenSpread(const torch::Tensor& v, int p)
{
    auto blocks = v[0].unfold(2, p, p).unfold(3, p, p); // [C, T, h/p, w/p, p, p]
    auto perToken = blocks.permute({ 1, 2, 3, 0, 4, 5 }).reshape({ -1, blocks.size(0) * p * p });
    return (perToken - perToken.mean(0, true)).abs().max().item<double>();
}

// An untrained text encoder over the config's vocabulary, seeded, in eval mode.
TextEncoder seededTextEncoder(const io::ModelConfig& config, const torch::TensorOptions& options, std::uint64_t seed)
{
    torch::manual_seed(seed);
    TextEncoder encoder(config.textEncoder, Tokenizer(config.vocabulary).size(), options);
    encoder->eval();
    return encoder;
}

// A transformer and the same one with an optional layer switched on by `addLayer`, sharing
// every other weight (the plain one's zero-initialised layers filled first); both in eval mode.
std::pair<Transformer, Transformer> withAddedLayer(const TransformerConfig& plainConfig,
    const std::function<void(TransformerConfig&)>& addLayer, const torch::TensorOptions& options, int seed)
{
    auto config = plainConfig;
    addLayer(config);
    torch::manual_seed(seed);
    Transformer plain(plainConfig, options);
    Transformer added(config, options);
    plain->eval();
    added->eval();
    fillZeroWeights(*plain);
    auto target = added->named_parameters();
    for (auto& p : plain->named_parameters())
        target[p.key()].copy_(p.value());
    return { plain, added };
}

} // namespace

class TestModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void autoencoderShapes_data();
    void autoencoderShapes();
    void encoderCausality_data() { addVariants(); }
    void encoderCausality();
    void decoderCausality_data() { addVariants(); }
    void decoderCausality();
    void decodePreviewShape_data() { addVariants(); }
    void decodePreviewShape();
    void decoderTemporalBlocksStartAsIdentity();
    void channelNormMatchesItsFormula();

    void textEncoderShape();
    void textPaddingIgnored();
    void textWordOrderMatters();

    void transformerShapes_data();
    void transformerShapes();
    void transformerBatchIndependent();
    void transformerFlops();
    void pooledTextConditions();
    void absolutePositionsBreakTranslationSymmetry();
    void textLayoutPlacesTheCaption();

    void ropeShapes_data();
    void ropeShapes();
    void ropeRotates();

    void tokenizer_data();
    void tokenizer();
    void tokenizerVocabulary();

private:
    io::ModelConfig m_config;
    const torch::TensorOptions m_options = torch::TensorOptions().dtype(torch::kFloat32);
};

void TestModel::initTestCase()
{
    torch::set_num_threads(1);
    auto tiny = io::architecture("tiny");
    QVERIFY(tiny.ok());
    m_config = tiny.value();
    QCOMPARE(m_config.transformer.latentChannels, m_config.autoencoder.latentChannels);
    QCOMPARE(m_config.transformer.textWidth, m_config.textEncoder.width);
}

void TestModel::autoencoderShapes_data()
{
    QTest::addColumn<int>("frames");
    QTest::addColumn<int>("latentFrames");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("width");
    QTest::addColumn<QString>("variant");
    for (const QString variant : { "stacked", "per-frame" }) {
        auto row = [&](const char* name) { return &QTest::newRow(qPrintable(variant + ", " + name)); };
        *row("1 frame") << 1 << 1 << 32 << 32 << variant;
        *row("5 frames") << 5 << 2 << 32 << 32 << variant;
        *row("9 frames") << 9 << 3 << 32 << 32 << variant;
        *row("17 frames") << 17 << 5 << 32 << 32 << variant;
        *row("5 frames, 16 x 48") << 5 << 2 << 16 << 48 << variant;
    }
}

void TestModel::autoencoderShapes()
{
    QFETCH(int, frames);
    QFETCH(int, latentFrames);
    QFETCH(int, height);
    QFETCH(int, width);
    QFETCH(QString, variant);
    torch::NoGradGuard noGrad;
    torch::manual_seed(1);
    const auto c = aeVariant(m_config.autoencoder, variant);
    QCOMPARE(c.spatialFactor(), spatialFactor(c));
    QCOMPARE(c.latentForFrames(frames), latentFrames);
    QCOMPARE(c.framesForLatent(latentFrames), frames);
    QVERIFY(c.validFrameCount(frames));
    QVERIFY(!c.validFrameCount(frames + 1));

    Autoencoder ae(c, m_options);
    ae->eval();
    const auto video = torch::rand({ 2, 3, frames, height, width }) * 2 - 1;
    const auto latents = ae->encode(video);
    const int f = spatialFactor(c);
    QCOMPARE(f, 8); // both variants compress 8x
    const std::vector<int64_t> latentShape = { 2, c.latentChannels, latentFrames, height / f, width / f };
    QCOMPARE(latents.sizes().vec(), latentShape);
    QCOMPARE(latents.scalar_type(), torch::kFloat32);
    QVERIFY(torch::isfinite(latents).all().item<bool>());

    const auto decoded = ae->decode(latents);
    const std::vector<int64_t> videoShape = { 2, 3, 1 + 4 * (latentFrames - 1), height, width };
    QCOMPARE(decoded.sizes().vec(), videoShape);
    QVERIFY(torch::isfinite(decoded).all().item<bool>());
}

void TestModel::encoderCausality()
{
    torch::NoGradGuard noGrad;
    QFETCH(QString, variant);
    torch::manual_seed(2);
    Autoencoder ae(aeVariant(m_config.autoencoder, variant), m_options);
    ae->eval();
    const auto video = torch::rand({ 1, 3, 13, 32, 32 }) * 2 - 1;
    const auto base = ae->encode(video); // 4 latent frames: {0}, {1..4}, {5..8}, {9..12}

    // Changing the frames of group j changes latent j, and only it.
    const std::vector<std::pair<int, int>> groups = { { 0, 0 }, { 1, 4 }, { 5, 8 }, { 9, 12 } };
    for (int j = 0; j < 4; ++j) {
        auto changed = video.clone();
        changed.narrow(2, groups[j].first, groups[j].second - groups[j].first + 1).mul_(-0.5).add_(0.3);
        const auto latents = ae->encode(changed);
        for (int k = 0; k < 4; ++k) {
            const double d = maxDiff(latents.select(2, k), base.select(2, k));
            if (k == j)
                QVERIFY2(d > 1e-4, qPrintable(QString("group %1 changed but latent %1 did not").arg(j)));
            else
                QVERIFY2(
                    d == 0.0, qPrintable(QString("group %1 changed latent %2 by %3").arg(j).arg(k).arg(d)));
        }
    }
}

void TestModel::decoderCausality()
{
    torch::NoGradGuard noGrad;
    QFETCH(QString, variant);
    torch::manual_seed(3);
    Autoencoder ae(aeVariant(m_config.autoencoder, variant), m_options);
    ae->eval();
    const int T = 4;
    const auto latents = torch::randn({ 1, m_config.autoencoder.latentChannels, T, 4, 4 });
    const auto base = ae->decode(latents); // 13 frames: latent t makes frames 4t-3 .. 4t
    QCOMPARE(base.size(2), 13);

    for (int t = 0; t < T; ++t) {
        auto changed = latents.clone();
        changed.select(2, t).mul_(-1.0).add_(0.5);
        const auto frames = ae->decode(changed);
        const int firstAffected = t == 0 ? 0 : 4 * t - 3;
        // Frames made from latents before t must not see latent t.
        if (firstAffected > 0) {
            const double d = maxDiff(frames.narrow(2, 0, firstAffected), base.narrow(2, 0, firstAffected));
            QVERIFY2(d < 1e-6,
                qPrintable(
                    QString("latent %1 changed frames 0..%2 by %3").arg(t).arg(firstAffected - 1).arg(d)));
        }
        const double own = maxDiff(frames.narrow(2, firstAffected, 13 - firstAffected),
            base.narrow(2, firstAffected, 13 - firstAffected));
        QVERIFY2(own > 1e-5, qPrintable(QString("latent %1 did not change its own frames").arg(t)));
    }
}

void TestModel::decodePreviewShape()
{
    torch::NoGradGuard noGrad;
    QFETCH(QString, variant);
    torch::manual_seed(4);
    const auto c = aeVariant(m_config.autoencoder, variant);
    Autoencoder ae(c, m_options);
    ae->eval();
    const auto latents = torch::randn({ 2, m_config.autoencoder.latentChannels, 3, 4, 6 });
    for (int t = 0; t < 3; ++t) {
        const auto preview = ae->decodePreview(latents, t);
        const int f = spatialFactor(c);
        QCOMPARE(preview.sizes().vec(), (std::vector<int64_t> { 2, 3, 4 * f, 6 * f }));
    }
}

// scripts/packs/add-decoder-temporal.py adds the blocks to a trained pack with zero
// convolutions: the decoder must then decode exactly as the one without them, and the
// blocks must be live once their weights move.
void TestModel::decoderTemporalBlocksStartAsIdentity()
{
    torch::NoGradGuard noGrad;
    torch::manual_seed(5);
    auto plainConfig = aeVariant(m_config.autoencoder, "temporal-decoder");
    plainConfig.decoderTemporalLevels = 0;
    Autoencoder plain(plainConfig, m_options);
    Autoencoder temporal(aeVariant(m_config.autoencoder, "temporal-decoder"), m_options);
    plain->eval();
    temporal->eval();
    auto theirs = plain->named_parameters();
    int added = 0;
    for (auto& p : temporal->named_parameters()) {
        if (p.key().find("up_temporal") != std::string::npos) {
            ++added;
            if (p.key().find("conv") != std::string::npos)
                p.value().zero_();
            continue;
        }
        QVERIFY2(theirs.contains(p.key()), p.key().c_str());
        p.value().copy_(theirs[p.key()]);
    }
    QCOMPARE(added, 8); // two blocks: norm weight and bias, conv weight and bias
    const auto latents = torch::randn({ 1, m_config.autoencoder.latentChannels, 3, 4, 4 });
    const auto expected = plain->decode(latents);
    QVERIFY(maxDiff(temporal->decode(latents), expected) < 1e-6);
    for (auto& p : temporal->named_parameters())
        if (p.key().find("up_temporal.1.conv.weight") != std::string::npos)
            p.value().normal_(0.0, 0.1);
    QVERIFY(maxDiff(temporal->decode(latents), expected) > 1e-4);
}

// The fused channels-last layer norm must give what the per-pixel formula over the
// channels gives, for every layout and dtype the autoencoder feeds it, with gradients.
void TestModel::channelNormMatchesItsFormula()
{
    torch::manual_seed(5);
    const auto fp32 = torch::TensorOptions().dtype(torch::kFloat32);
    ChannelNorm norm(6, fp32);
    auto params = norm->named_parameters();
    auto weight = params["weight"], bias = params["bias"];
    {
        torch::NoGradGuard noGrad;
        weight.copy_(torch::randn({ 6 }));
        bias.copy_(torch::randn({ 6 }));
    }
    auto formula = [&](const torch::Tensor& x) {
        std::vector<int64_t> shape(x.dim(), 1);
        shape[1] = x.size(1);
        auto xf = x.to(torch::kFloat32);
        auto mean = xf.mean(1, true);
        auto var = (xf - mean).pow(2).mean(1, true);
        return (xf - mean) * torch::rsqrt(var + 1e-6) * weight.view(shape) + bias.view(shape);
    };
    const auto x4 = torch::randn({ 2, 6, 5, 7 }) * 3 + 1;
    const auto x5 = torch::randn({ 2, 6, 3, 4, 5 });
    for (const auto& x : { x4, x4.contiguous(torch::MemoryFormat::ChannelsLast), x5 }) {
        QVERIFY(torch::allclose(norm(x), formula(x), 1e-4, 1e-5));
        QCOMPARE(norm(x).sizes(), x.sizes());
        const auto xb = x.to(torch::kBFloat16);
        const auto yb = norm(xb);
        QCOMPARE(yb.scalar_type(), torch::kBFloat16);
        QVERIFY(torch::allclose(yb.to(torch::kFloat32), formula(xb), 2e-2, 2e-2));
    }
    // The same gradients for the input and the affine parameters.
    auto a = x4.clone().requires_grad_(true);
    auto b = x4.clone().requires_grad_(true);
    const auto target = torch::randn_like(x4);
    (norm(a) * target).sum().backward();
    const auto weightGrad = weight.grad().clone();
    weight.mutable_grad().zero_();
    (formula(b) * target).sum().backward();
    QVERIFY(torch::allclose(a.grad(), b.grad(), 1e-3, 1e-4));
    QVERIFY(torch::allclose(weightGrad, weight.grad(), 1e-3, 1e-4));
}

void TestModel::textEncoderShape()
{
    torch::NoGradGuard noGrad;
    auto encoder = seededTextEncoder(m_config, m_options, 5);
    const Tokenizer tokenizer(m_config.vocabulary);
    const int maxTokens = m_config.textEncoder.maxTokens;
    std::vector<Tokenizer::Encoding> batch
        = { tokenizer.encode("a red circle", maxTokens), tokenizer.encode("", maxTokens),
              tokenizer.encode("a small blue square moving to the left", maxTokens) };
    auto [tokens, mask] = batchTokens(batch, torch::kCPU);
    const int64_t L = static_cast<int64_t>(batch[2].ids.size());
    QCOMPARE(tokens.sizes().vec(), (std::vector<int64_t> { 3, L }));
    QCOMPARE(mask.scalar_type(), torch::kBool);
    QCOMPARE(mask.sum(1).to(torch::kLong)[1].item<int64_t>(), 1); // [BOS] only
    QCOMPARE(tokens[1][0].item<int64_t>(), Tokenizer::kBos);
    QCOMPARE(tokens[0][L - 1].item<int64_t>(), Tokenizer::kPad);
    const auto features = encoder->forward(tokens, mask);
    QCOMPARE(features.sizes().vec(), (std::vector<int64_t> { 3, L, m_config.textEncoder.width }));
    QVERIFY(torch::isfinite(features).all().item<bool>());
}

void TestModel::textWordOrderMatters()
{
    // An untrained encoder already tells a caption from its mirror image: word and
    // position vectors start at the same scale. With words 50 times larger than positions
    // (LibTorch's default embedding), the pooled features of these two had a cosine of
    // 0.999995 (kinora-shapes-v5's initial pack); now about 0.997.
    torch::NoGradGuard noGrad;
    auto encoder = seededTextEncoder(m_config, m_options, 7);
    const Tokenizer tokenizer(m_config.vocabulary);
    const int maxTokens = m_config.textEncoder.maxTokens;
    auto [tokens, mask] = batchTokens({ tokenizer.encode("a red star on the left and a blue circle on the right", maxTokens),
                                          tokenizer.encode("a red star on the right and a blue circle on the left", maxTokens) },
        torch::kCPU);
    const auto pooled = encoder->forward(tokens, mask).mean(1); // [2, D]
    const double cosine = torch::cosine_similarity(pooled[0], pooled[1], 0).item<double>();
    qInfo("pooled cosine of mirrored captions: %.4f", cosine);
    QVERIFY2(cosine < 0.999, qPrintable(QString("mirrored captions pool to cosine %1").arg(cosine)));
}

void TestModel::textPaddingIgnored()
{
    torch::NoGradGuard noGrad;
    auto encoder = seededTextEncoder(m_config, m_options, 6);
    const Tokenizer tokenizer(m_config.vocabulary);
    const int maxTokens = m_config.textEncoder.maxTokens;
    const auto shortText = tokenizer.encode("a red circle", maxTokens);
    const auto longText
        = tokenizer.encode("a big green triangle bouncing up and down on a white background", maxTokens);
    const auto n = static_cast<int64_t>(shortText.ids.size());
    QVERIFY(longText.ids.size() > shortText.ids.size() + 3);

    auto [aloneTokens, aloneMask] = batchTokens({ shortText }, torch::kCPU);
    const auto alone = encoder->forward(aloneTokens, aloneMask)[0];
    for (bool shortFirst : { true, false }) {
        auto [tokens, mask] = batchTokens(
            shortFirst ? std::vector { shortText, longText } : std::vector { longText, shortText },
            torch::kCPU);
        const auto batched = encoder->forward(tokens, mask)[shortFirst ? 0 : 1].narrow(0, 0, n);
        const double d = maxDiff(batched, alone);
        QVERIFY2(d < 1e-5, qPrintable(QString("padding changed the real tokens by %1").arg(d)));
    }
    // A different padding content (not the [PAD] id) is ignored too: only the mask counts.
    auto [tokens, mask] = batchTokens({ shortText, longText }, torch::kCPU);
    tokens[0].narrow(0, n, tokens.size(1) - n).fill_(Tokenizer::kUnk);
    const double d = maxDiff(encoder->forward(tokens, mask)[0].narrow(0, 0, n), alone);
    QVERIFY2(d < 1e-5, qPrintable(QString("padding ids changed the real tokens by %1").arg(d)));
}

void TestModel::transformerShapes_data()
{
    QTest::addColumn<int>("latentFrames");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("textTokens");
    QTest::newRow("T 1") << 1 << 8 << 8 << 5;
    QTest::newRow("T 2") << 2 << 8 << 8 << 5;
    QTest::newRow("T 3") << 3 << 4 << 4 << 1;
    QTest::newRow("T 5") << 5 << 8 << 8 << 16;
    QTest::newRow("T 5, 4 x 6") << 5 << 4 << 6 << 3;
}

void TestModel::transformerShapes()
{
    QFETCH(int, latentFrames);
    QFETCH(int, height);
    QFETCH(int, width);
    QFETCH(int, textTokens);
    torch::NoGradGuard noGrad;
    torch::manual_seed(7);
    const auto& c = m_config.transformer;
    Transformer dit(c, m_options);
    dit->eval();
    const int B = 2;
    const auto x = torch::randn({ B, c.latentChannels, latentFrames, height, width });
    const auto known = torch::randn_like(x);
    const auto mask = torch::zeros({ B, 1, latentFrames, height, width });
    const auto t = torch::tensor({ 0.3f, 0.9f });
    const auto text = torch::randn({ B, textTokens, c.textWidth });
    auto textMask = torch::ones({ B, textTokens }, torch::kBool);
    textMask[1].narrow(0, 1, textTokens - 1).fill_(false);
    const auto v = dit->forward(x, known, mask, t, text, textMask);
    QVERIFY2(v.sizes() == x.sizes(), qPrintable(shapeText(v) + " != " + shapeText(x)));
    QCOMPARE(v.scalar_type(), torch::kFloat32);
    QVERIFY(torch::isfinite(v).all().item<bool>());
}

void TestModel::transformerBatchIndependent()
{
    // With its zero-initialised output layers filled, the output depends on the input, and
    // each batch item only on its own input.
    torch::NoGradGuard noGrad;
    torch::manual_seed(8);
    const auto& c = m_config.transformer;
    Transformer dit(c, m_options);
    dit->eval();
    fillZeroWeights(*dit);
    const DitInputs in(c);
    const auto& [x, known, mask, t, text, textMask] = in;
    const auto v = dit->forward(x, known, mask, t, text, textMask);
    QVERIFY(v.abs().max().item<double>() > 1e-4);

    auto x2 = x.clone();
    x2[1].mul_(-1);
    const auto v2 = dit->forward(x2, known, mask, t, text, textMask);
    QVERIFY(maxDiff(v2[0], v[0]) < 1e-5);
    QVERIFY(maxDiff(v2[1], v[1]) > 1e-4);
    const auto one = dit->forward(x.narrow(0, 0, 1), known.narrow(0, 0, 1), mask.narrow(0, 0, 1),
        t.narrow(0, 0, 1), text.narrow(0, 0, 1), textMask.narrow(0, 0, 1));
    QVERIFY(maxDiff(one[0], v[0]) < 1e-5);
}

void TestModel::pooledTextConditions()
{
    // pooled_text adds one zero-initialised layer: the same weights give the same output as
    // without it; once it learns, the caption changes the modulation and so the output,
    // even with cross-attention silenced, and padding still does not.
    torch::NoGradGuard noGrad;
    const auto plainConfig = m_config.transformer;
    auto [plain, pooled] = withAddedLayer(plainConfig, [](TransformerConfig& c) { c.pooledText = true; }, m_options, 9);
    auto target = pooled->named_parameters();
    QVERIFY(target.contains("text_pool.weight"));
    QCOMPARE(target["text_pool.weight"].count_nonzero().item<int64_t>(), 0);
    const DitInputs in(plainConfig);
    const auto& [x, known, mask, t, text, textMask] = in;
    QVERIFY(maxDiff(plain->forward(x, known, mask, t, text, textMask), pooled->forward(x, known, mask, t, text, textMask)) < 1e-6);

    target["text_pool.weight"].normal_(0.0, 0.5);
    for (auto& p : pooled->named_parameters()) // cross-attention's output silenced
        if (p.key().find("cross.") != std::string::npos && p.key().find("proj") != std::string::npos)
            p.value().zero_();
    const auto v = pooled->forward(x, known, mask, t, text, textMask);
    const auto other = pooled->forward(x, known, mask, t, torch::randn_like(text), textMask);
    QVERIFY(maxDiff(v, other) > 1e-4);
    // A padded caption pools to the same mean.
    auto padded = torch::cat({ text, torch::randn({ 2, 2, plainConfig.textWidth }) }, 1);
    auto paddedMask = torch::cat({ textMask, torch::zeros({ 2, 2 }, torch::kBool) }, 1);
    QVERIFY(maxDiff(pooled->forward(x, known, mask, t, padded, paddedMask), v) < 1e-5);
}

void TestModel::absolutePositionsBreakTranslationSymmetry()
{
    // absolute_positions adds one zero-initialised layer: the same weights give the same
    // output as without it. A clip that is the same everywhere gives every token the same
    // output without it (rotary positions are relative); once the layer has learnt, the
    // output depends on where and when a token is, so the caption can ask for a place.
    torch::NoGradGuard noGrad;
    const auto plainConfig = m_config.transformer;
    auto [plain, placed] = withAddedLayer(plainConfig, [](TransformerConfig& c) { c.absolutePositions = true; }, m_options, 10);
    auto target = placed->named_parameters();
    QVERIFY(target.contains("pos_embed.weight"));
    QCOMPARE(target["pos_embed.weight"].count_nonzero().item<int64_t>(), 0);
    DitInputs in(plainConfig);
    auto& [x, known, mask, t, text, textMask] = in;
    x = torch::ones_like(x) * 0.3; // the same latent at every place and time
    known = torch::zeros_like(known);
    mask = torch::zeros_like(mask);
    const auto before = placed->forward(x, known, mask, t, text, textMask);
    QVERIFY(maxDiff(plain->forward(x, known, mask, t, text, textMask), before) < 1e-6);
    auto spread = [&](const torch::Tensor& v) { return tokenSpread(v, plainConfig.patchSize); };
    QVERIFY2(spread(before) < 1e-4, qPrintable(QString::number(spread(before))));
    target["pos_embed.weight"].normal_(0.0, 0.5);
    const auto after = placed->forward(x, known, mask, t, text, textMask);
    QVERIFY2(spread(after) > 1e-3, qPrintable(QString::number(spread(after))));
    QVERIFY(placed->flops(1, 3, 8, 8, 16) > plain->flops(1, 3, 8, 8, 16));
}

void TestModel::textLayoutPlacesTheCaption()
{
    // text_layout adds a cross-attention from each token's place and time to the caption,
    // whose output layer starts at zero: the same weights give the same output as without
    // it. Once it has learnt, and with the blocks' own cross-attention silenced, a clip that
    // is the same everywhere gets an output that depends on the place and on the caption,
    // but not on the caption's padding.
    torch::NoGradGuard noGrad;
    const auto plainConfig = m_config.transformer;
    auto [plain, laid] = withAddedLayer(
        plainConfig, [](TransformerConfig& c) { c.textLayout = true; }, m_options, 11);
    auto target = laid->named_parameters();
    QVERIFY(target.contains("layout_query.weight") && target.contains("layout_cross.proj.weight"));
    QCOMPARE(target["layout_cross.proj.weight"].count_nonzero().item<int64_t>(), 0);
    DitInputs in(plainConfig);
    auto& [x, known, mask, t, text, textMask] = in;
    QVERIFY(maxDiff(plain->forward(x, known, mask, t, text, textMask),
                laid->forward(x, known, mask, t, text, textMask))
        < 1e-6);

    x = torch::ones_like(x) * 0.3;
    known = torch::zeros_like(known);
    mask = torch::zeros_like(mask);
    for (auto& p : laid->named_parameters())
        if (p.key().rfind("blocks.", 0) == 0 && p.key().find(".cross.proj") != std::string::npos)
            p.value().zero_();
    const auto silent = laid->forward(x, known, mask, t, text, textMask);
    QVERIFY(maxDiff(silent, laid->forward(x, known, mask, t, torch::randn_like(text), textMask)) < 1e-6);
    target["layout_cross.proj.weight"].normal_(0.0, 0.5);
    const auto v = laid->forward(x, known, mask, t, text, textMask);
    QVERIFY2(tokenSpread(v, plainConfig.patchSize) > 1e-3,
        qPrintable(QString::number(tokenSpread(v, plainConfig.patchSize))));
    QVERIFY(maxDiff(v, laid->forward(x, known, mask, t, torch::randn_like(text), textMask)) > 1e-4);
    auto padded = torch::cat({ text, torch::randn({ 2, 2, plainConfig.textWidth }) }, 1);
    auto paddedMask = torch::cat({ textMask, torch::zeros({ 2, 2 }, torch::kBool) }, 1);
    QVERIFY(maxDiff(laid->forward(x, known, mask, t, padded, paddedMask), v) < 1e-5);
    QVERIFY(laid->flops(1, 3, 8, 8, 16) > plain->flops(1, 3, 8, 8, 16));
}

void TestModel::transformerFlops()
{
    torch::NoGradGuard noGrad;
    Transformer dit(m_config.transformer, m_options);
    double previous = 0;
    for (int T = 1; T <= 5; ++T) {
        const double f = dit->flops(1, T, 8, 8, 16);
        QVERIFY(std::isfinite(f));
        QVERIFY2(f > previous, qPrintable(QString("T %1: %2 <= %3").arg(T).arg(f).arg(previous)));
        previous = f;
    }
    QVERIFY(std::abs(dit->flops(2, 3, 8, 8, 16) - 2 * dit->flops(1, 3, 8, 8, 16))
        < 1e-6 * dit->flops(2, 3, 8, 8, 16));
    QVERIFY(dit->flops(1, 3, 16, 16, 16) > dit->flops(1, 3, 8, 8, 16));
    // Attention makes it grow faster than linearly in the token count.
    QVERIFY(dit->flops(1, 4, 8, 8, 16) > 2 * dit->flops(1, 2, 8, 8, 16));
}

void TestModel::ropeShapes_data()
{
    QTest::addColumn<int>("t");
    QTest::addColumn<int>("h");
    QTest::addColumn<int>("w");
    QTest::addColumn<int>("headDim");
    QTest::newRow("tiny head") << 3 << 4 << 4 << 32;
    QTest::newRow("one token") << 1 << 1 << 1 << 32;
    QTest::newRow("non-square") << 2 << 3 << 5 << 64;
    QTest::newRow("small head") << 5 << 2 << 2 << 8;
}

void TestModel::ropeShapes()
{
    QFETCH(int, t);
    QFETCH(int, h);
    QFETCH(int, w);
    QFETCH(int, headDim);
    torch::manual_seed(9);
    const auto rope = makeRope3d(t, h, w, headDim, 100.0, m_options);
    const std::vector<int64_t> shape = { int64_t(t) * h * w, headDim / 2 };
    QCOMPARE(rope.cos.sizes().vec(), shape);
    QCOMPARE(rope.sin.sizes().vec(), shape);
    QVERIFY(torch::allclose(rope.cos * rope.cos + rope.sin * rope.sin, torch::ones(shape), 1e-5, 1e-5));

    const auto x = torch::randn({ 2, 3, int64_t(t) * h * w, headDim });
    const auto y = applyRope(x, rope);
    QCOMPARE(y.sizes(), x.sizes());
    // A rotation: every head vector keeps its length.
    QVERIFY(torch::allclose(y.norm(2, -1), x.norm(2, -1), 1e-5, 1e-5));
    // The first token (position 0 on every axis) is not turned at all.
    QVERIFY(torch::allclose(y.select(2, 0), x.select(2, 0)));
}

void TestModel::ropeRotates()
{
    // Attention scores depend on relative position: the same q and k, one time step
    // apart, score the same wherever they are; further apart, differently.
    const int t = 4, h = 3, w = 3, d = 32;
    const auto rope = makeRope3d(t, h, w, d, 100.0, m_options);
    torch::manual_seed(10);
    const auto q = torch::randn({ d });
    const auto k = torch::randn({ d });
    auto index = [=](int ti, int yi, int xi) { return (ti * h + yi) * w + xi; };
    auto score = [&](int a, int b) {
        const auto all = torch::stack(std::vector<torch::Tensor>(t * h * w, q)).view({ 1, 1, t * h * w, d });
        const auto allK = torch::stack(std::vector<torch::Tensor>(t * h * w, k)).view({ 1, 1, t * h * w, d });
        const auto rq = applyRope(all, rope)[0][0][a];
        const auto rk = applyRope(allK, rope)[0][0][b];
        return (rq * rk).sum().item<double>();
    };
    const double s01 = score(index(1, 0, 0), index(0, 0, 0));
    const double s23 = score(index(3, 1, 2), index(2, 1, 2));
    QVERIFY(std::abs(s01 - s23) < 1e-4);
    const double sy = score(index(0, 2, 1), index(0, 1, 1));
    const double sy2 = score(index(2, 1, 0), index(2, 0, 0));
    QVERIFY(std::abs(sy - sy2) < 1e-4);
    QVERIFY(std::abs(score(index(3, 0, 0), index(0, 0, 0)) - s01) > 1e-4);
    QVERIFY(std::abs(sy - s01) > 1e-4); // a step in y is not a step in t
}

void TestModel::tokenizer_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("maxTokens");
    QTest::addColumn<QStringList>("words"); // expected tokens after [BOS]; "?" = [UNK]
    QTest::addColumn<QStringList>("unknown");
    QTest::addColumn<bool>("truncated");

    QTest::newRow("empty") << "" << 8 << QStringList {} << QStringList {} << false;
    QTest::newRow("only punctuation") << " ,.!? " << 8 << QStringList {} << QStringList {} << false;
    QTest::newRow("lower-cased") << "RED Circle" << 8 << QStringList { "red", "circle" } << QStringList {}
                                 << false;
    QTest::newRow("punctuation splits")
        << "red,circle!moves...left" << 8 << QStringList { "red", "circle", "moves", "left" }
        << QStringList {} << false;
    QTest::newRow("whitespace runs") << "\tred \n\n circle  " << 8 << QStringList { "red", "circle" }
                                     << QStringList {} << false;
    QTest::newRow("hyphen splits") << "red-circle" << 8 << QStringList { "red", "circle" } << QStringList {}
                                   << false;
    QTest::newRow("apostrophe kept") << "It's red" << 8 << QStringList { "it's", "red" } << QStringList {}
                                     << false;
    QTest::newRow("digits are words")
        << "2 red" << 8 << QStringList { "2", "red" } << QStringList {} << false;
    QTest::newRow("unknown words") << "red Banana circle kiwi" << 8
                                   << QStringList { "red", "?", "circle", "?" }
                                   << QStringList { "banana", "kiwi" } << false;
    QTest::newRow("exactly full") << "red circle moves" << 4 << QStringList { "red", "circle", "moves" }
                                  << QStringList {} << false;
    QTest::newRow("truncated") << "red circle moves left red" << 4 << QStringList { "red", "circle", "moves" }
                               << QStringList {} << true;
    QTest::newRow("truncated unknown not reported")
        << "red circle zebra" << 3 << QStringList { "red", "circle" } << QStringList {} << true;
    QTest::newRow("only [BOS] fits") << "red" << 1 << QStringList {} << QStringList {} << true;
}

void TestModel::tokenizer()
{
    QFETCH(QString, text);
    QFETCH(int, maxTokens);
    QFETCH(QStringList, words);
    QFETCH(QStringList, unknown);
    QFETCH(bool, truncated);

    const Tokenizer tokenizer(Tokenizer::makeVocabulary({ "red", "circle", "moves", "left", "it's", "2" }));
    auto idOf = [&](const QString& w) -> std::int64_t {
        if (w == "?")
            return Tokenizer::kUnk;
        const auto& v = tokenizer.vocabulary();
        return std::find(v.begin(), v.end(), w.toStdString()) - v.begin();
    };
    Ids expected = { Tokenizer::kBos };
    for (const auto& w : words)
        expected.push_back(idOf(w));

    const auto enc = tokenizer.encode(text.toStdString(), maxTokens);
    QCOMPARE(enc.ids, expected);
    QVERIFY(int(enc.ids.size()) <= maxTokens);
    QCOMPARE(enc.truncated, truncated);
    QStringList gotUnknown;
    for (const auto& w : enc.unknownWords)
        gotUnknown << QString::fromStdString(w);
    QCOMPARE(gotUnknown, unknown);
}

void TestModel::tokenizerVocabulary()
{
    const auto vocab = Tokenizer::makeVocabulary({ "red", "red", "[BOS]", "blue" });
    QCOMPARE(vocab, (std::vector<std::string> { "[PAD]", "[BOS]", "[UNK]", "red", "blue" }));
    const Tokenizer tokenizer(vocab);
    QCOMPARE(tokenizer.size(), 5);
    QCOMPARE(Tokenizer::kPad, std::int64_t(0));
    QCOMPARE(Tokenizer::kBos, std::int64_t(1));
    QCOMPARE(Tokenizer::kUnk, std::int64_t(2));
    // Bytes of multi-byte UTF-8 letters stay inside their word.
    QCOMPARE(Tokenizer::splitWords("naïve café, OK"), (std::vector<std::string> { "naïve", "café", "ok" }));
    // The shipped vocabulary has the special tokens first.
    QCOMPARE(m_config.vocabulary.at(0), std::string("[PAD]"));
    QCOMPARE(m_config.vocabulary.at(1), std::string("[BOS]"));
    QCOMPARE(m_config.vocabulary.at(2), std::string("[UNK]"));
    QVERIFY(m_config.vocabulary.size() > 10);
}

QTEST_APPLESS_MAIN(TestModel)

#include "tst_model.moc"
