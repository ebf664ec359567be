#include "model/cpu_matmul.h"

#include "model/compat.h"

#if defined(KINORA_HAVE_ONEDNN)
#include <oneapi/dnnl/dnnl.hpp>
#endif

#include <ATen/record_function.h>

#include <cstdlib>
#include <cstring>

namespace kinora::model {

namespace {

bool fp32Cpu(const torch::Tensor& t)
{
    return t.defined() && t.device().is_cpu() && t.scalar_type() == torch::kFloat32 && t.numel() > 0;
}

bool bf16Cpu(const torch::Tensor& t)
{
    return t.defined() && t.device().is_cpu() && t.scalar_type() == torch::kBFloat16 && t.numel() > 0;
}

#if defined(KINORA_HAVE_ONEDNN)

dnnl::engine& cpuEngine()
{
    static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    return engine;
}

// oneDNN's GEMM-based matmul reads a matrix with a unit stride along either of its last
// two dimensions; anything else is copied first.
torch::Tensor gemmReady(const torch::Tensor& t)
{
    if (t.stride(-1) == 1 || t.stride(-2) == 1)
        return t;
    return t.contiguous();
}

dnnl::memory::desc descOf(const torch::Tensor& t)
{
    const auto type = t.scalar_type() == torch::kBFloat16 ? dnnl::memory::data_type::bf16 : dnnl::memory::data_type::f32;
    return dnnl::memory::desc(dnnl::memory::dims(t.sizes().begin(), t.sizes().end()), type,
                              dnnl::memory::dims(t.strides().begin(), t.strides().end()));
}

// What oneDNN applies to a product before writing it: a scale, then exact (erf) GELU.
struct Epilogue {
    float scale = 1.0f;
    bool gelu = false;
};

// out = epilogue(a b (+ bias, broadcast along all but the last dimension)): no autograd.
// fp32, or bf16 in and out (oneDNN accumulates in fp32 and applies the epilogue before
// rounding to bf16).
torch::Tensor product(torch::Tensor a, torch::Tensor b, const torch::Tensor& bias = {}, Epilogue epilogue = {})
{
    a = gemmReady(a);
    b = gemmReady(b);
    // Named for profiles and counted by train::FlopCounter from the recorded shapes.
    RECORD_FUNCTION("kinora::matmul", std::vector<c10::IValue>({a, b}));
    auto sizes = a.sizes().vec();
    sizes.back() = b.size(-1);
    auto out = torch::empty(sizes, a.options());
    const auto ad = descOf(a), bd = descOf(b), cd = descOf(out);
    dnnl::memory::desc biasd;
    torch::Tensor biasView;
    if (bias.defined()) {
        std::vector<int64_t> biasSizes(out.dim(), 1);
        biasSizes.back() = bias.size(0);
        biasView = bias.contiguous().view(biasSizes);
        biasd = descOf(biasView);
    }
    auto& engine = cpuEngine();
    dnnl::post_ops ops;
    if (epilogue.scale != 1.0f)
        ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_linear, epilogue.scale, 0.0f);
    if (epilogue.gelu)
        ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_gelu_erf, 0.0f, 0.0f);
    dnnl::primitive_attr attr;
    attr.set_post_ops(ops);
    const auto pd = bias.defined() ? dnnl::matmul::primitive_desc(dnnl::matmul::desc(ad, bd, biasd, cd), attr, engine)
                                   : dnnl::matmul::primitive_desc(dnnl::matmul::desc(ad, bd, cd), attr, engine);
    // Primitives are cached by oneDNN (keyed by the description), so building one per call is cheap.
    const dnnl::matmul prim(pd);
    thread_local dnnl::stream stream(engine);
    std::unordered_map<int, dnnl::memory> args{
        {DNNL_ARG_SRC, dnnl::memory(ad, engine, a.data_ptr())},
        {DNNL_ARG_WEIGHTS, dnnl::memory(bd, engine, b.data_ptr())},
        {DNNL_ARG_DST, dnnl::memory(cd, engine, out.data_ptr())},
    };
    if (bias.defined())
        args.emplace(DNNL_ARG_BIAS, dnnl::memory(biasd, engine, biasView.data_ptr()));
    prim.execute(stream, args);
    stream.wait();
    return out;
}

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

struct MatmulFunction : torch::autograd::Function<MatmulFunction> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& a, const torch::Tensor& b)
    {
        ctx->save_for_backward({a, b});
        return product(a, b);
    }
    static variable_list backward(AutogradContext* ctx, variable_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const auto& a = saved[0];
        const auto& b = saved[1];
        const auto& g = grads[0];
        torch::Tensor ga, gb;
        if (ctx->needs_input_grad(0))
            ga = product(g, b.transpose(-2, -1));
        if (ctx->needs_input_grad(1))
            gb = product(a.transpose(-2, -1), g);
        return {ga, gb};
    }
};

// x weight^T + bias. A separate function without the bias: LibTorch 1.13's custom
// functions take no undefined tensors.
struct LinearFunction : torch::autograd::Function<LinearFunction> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& weight,
                                 const torch::Tensor& bias)
    {
        ctx->save_for_backward({x, weight});
        return product(x, weight.t(), bias);
    }
    static variable_list backward(AutogradContext* ctx, variable_list grads)
    {
        auto g = inputGradients(ctx, grads[0]);
        g.push_back(ctx->needs_input_grad(2) ? grads[0].sum(0) : torch::Tensor());
        return g;
    }
    static variable_list inputGradients(AutogradContext* ctx, const torch::Tensor& g)
    {
        const auto saved = ctx->get_saved_variables();
        torch::Tensor gx, gw;
        if (ctx->needs_input_grad(0))
            gx = product(g, saved[1]);
        if (ctx->needs_input_grad(1))
            gw = product(g.t(), saved[0]);
        return {gx, gw};
    }
};

struct LinearNoBiasFunction : torch::autograd::Function<LinearNoBiasFunction> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& weight)
    {
        ctx->save_for_backward({x, weight});
        return product(x, weight.t());
    }
    static variable_list backward(AutogradContext* ctx, variable_list grads)
    {
        return LinearFunction::inputGradients(ctx, grads[0]);
    }
};

#endif

} // namespace

bool oneDnnMatmul()
{
#if defined(KINORA_HAVE_ONEDNN)
    static const bool on = [] {
        const char* choice = std::getenv("KINORA_CPU_MATMUL");
        return !(choice && std::strcmp(choice, "aten") == 0);
    }();
    return on;
#else
    return false;
#endif
}

torch::Tensor matmul(const torch::Tensor& a, const torch::Tensor& b)
{
#if defined(KINORA_HAVE_ONEDNN)
    if (oneDnnMatmul() && fp32Cpu(a) && fp32Cpu(b) && a.dim() >= 2 && a.dim() == b.dim() &&
        a.sizes().slice(0, a.dim() - 2) == b.sizes().slice(0, b.dim() - 2) && a.size(-1) == b.size(-2))
        return MatmulFunction::apply(a, b);
#endif
    return torch::matmul(a, b);
}

namespace {

// Where a product may take its epilogue inside oneDNN: on the CPU with nothing to
// differentiate (inference), so no autograd node has to keep the unfused result; every
// tensor fp32, or every tensor bf16 on a CPU that multiplies bf16 in hardware (elsewhere
// LibTorch's emulated path stays, as for unfused bf16 products). In bf16 this also spares
// LibTorch 1.13's GELU, which took a fifth of a sampling step (2026-12-07 profile).
bool fusable(std::initializer_list<const torch::Tensor*> tensors)
{
#if defined(KINORA_HAVE_ONEDNN)
    if (!oneDnnMatmul())
        return false;
    const torch::Tensor* first = *tensors.begin();
    const bool bf16 = bf16Cpu(*first);
    if (bf16 && !compat::cpuHasFastBf16())
        return false;
    for (const auto* t : tensors)
        if (t->defined() && (!(bf16 ? bf16Cpu(*t) : fp32Cpu(*t)) || (torch::GradMode::is_enabled() && t->requires_grad())))
            return false;
    return true;
#else
    return false;
#endif
}

} // namespace

torch::Tensor scaledMatmul(const torch::Tensor& a, const torch::Tensor& b, double scale)
{
#if defined(KINORA_HAVE_ONEDNN)
    if (fusable({&a, &b}) && a.dim() >= 2 && a.dim() == b.dim() &&
        a.sizes().slice(0, a.dim() - 2) == b.sizes().slice(0, b.dim() - 2) && a.size(-1) == b.size(-2))
        return product(a, b, {}, Epilogue{static_cast<float>(scale), false});
#endif
    return kinora::model::matmul(a * scale, b);
}

torch::Tensor linearGelu(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias)
{
#if defined(KINORA_HAVE_ONEDNN)
    if (fusable({&x, &weight, &bias}) && x.dim() == 2 && weight.dim() == 2 && x.size(1) == weight.size(1) &&
        (!bias.defined() || bias.dim() == 1))
        return product(x, weight.t(), bias, Epilogue{1.0f, true});
#endif
    return torch::gelu(linear(x, weight, bias));
}

torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias)
{
#if defined(KINORA_HAVE_ONEDNN)
    if (oneDnnMatmul() && fp32Cpu(x) && fp32Cpu(weight) && x.dim() == 2 && weight.dim() == 2 &&
        x.size(1) == weight.size(1) && (!bias.defined() || (fp32Cpu(bias) && bias.dim() == 1)))
        return bias.defined() ? LinearFunction::apply(x, weight, bias) : LinearNoBiasFunction::apply(x, weight);
#endif
    return torch::nn::functional::linear(x, weight, bias);
}

} // namespace kinora::model
