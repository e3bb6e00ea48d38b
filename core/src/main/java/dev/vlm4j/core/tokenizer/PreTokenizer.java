package dev.vlm4j.core.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The regex pre-tokenizer of a byte-level BPE vocabulary, chosen by {@code tokenizer.ggml.pre} as llama.cpp
 * does. The patterns apply in order: each splits every piece left by the previous one into its matches and
 * the unmatched stretches between them; lookaheads never see past a piece. Patterns compile with
 * {@link Pattern#UNICODE_CHARACTER_CLASS}, so {@code \s} is Unicode White_Space as in llama.cpp.
 *
 * @param ignoreMerges a whole pre-token that is itself a vocabulary token is emitted without merging
 * @param cleanSpaces  detokenization removes spaces before punctuation and contractions
 */
record PreTokenizer(String name, List<Pattern> patterns, boolean ignoreMerges, boolean cleanSpaces) {

    private static final System.Logger LOG = System.getLogger(PreTokenizer.class.getName());
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    // GPT-2: contractions, optional space + letters / digits / other symbols, whitespace runs that leave the
    // last space to the next word
    private static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
    private static final String CONTRACTIONS_ANY_CASE = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";
    // Llama 3: case-insensitive contractions, one leading non-letter glued to a word, digits in threes,
    // punctuation runs taking trailing newlines, newline runs, whitespace as in GPT-2
    private static final String LLAMA3 = CONTRACTIONS_ANY_CASE
            + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    // Qwen 2: as Llama 3 with single digits
    private static final String QWEN2 = CONTRACTIONS_ANY_CASE
            + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    // CJK ideographs (U+4E00..U+9FA5), U+0800..U+4E00 and Hangul syllables through U+D7FF, as DeepSeek splits them
    private static final String DEEPSEEK_CJK = "[\\x{4E00}-\\x{9FA5}\\x{0800}-\\x{4E00}\\x{AC00}-\\x{D7FF}]+";
    // DeepSeek LLM's letter class: the upper-, lower- and titlecase letters of the scripts its tokenizer.json
    // lists. A subset of \p{LC}: Armenian lowercase, Georgian Mkhedruli, newer Latin extensions and the
    // mathematical alphanumerics, for instance, are not in it.
    private static final String DEEPSEEK_LETTERS = "[" +
            "\\x{41}-\\x{5A}\\x{61}-\\x{7A}\\x{B5}\\x{C0}-\\x{D6}\\x{D8}-\\x{F6}\\x{F8}-\\x{1BA}\\x{1BC}-\\x{1BF}" +
            "\\x{1C4}-\\x{293}\\x{295}-\\x{2AF}\\x{370}-\\x{373}\\x{376}\\x{377}\\x{37B}-\\x{37D}\\x{37F}\\x{386}" +
            "\\x{388}-\\x{38A}\\x{38C}\\x{38E}-\\x{3A1}\\x{3A3}-\\x{3F5}\\x{3F7}-\\x{481}\\x{48A}-\\x{52F}" +
            "\\x{531}-\\x{556}\\x{10A0}-\\x{10C5}\\x{13A0}-\\x{13F5}\\x{13F8}-\\x{13FD}\\x{1C90}-\\x{1CBA}" +
            "\\x{1CBD}-\\x{1CBF}\\x{1D00}-\\x{1D2B}\\x{1D6B}-\\x{1D77}\\x{1D79}-\\x{1D9A}\\x{1E00}-\\x{1F15}" +
            "\\x{1F18}-\\x{1F1D}\\x{1F20}-\\x{1F45}\\x{1F48}-\\x{1F4D}\\x{1F50}-\\x{1F57}\\x{1F59}\\x{1F5B}\\x{1F5D}" +
            "\\x{1F5F}-\\x{1F7D}\\x{1F80}-\\x{1FB4}\\x{1FB6}-\\x{1FBC}\\x{1FBE}\\x{1FC2}-\\x{1FC4}\\x{1FC6}-\\x{1FCC}" +
            "\\x{1FD0}-\\x{1FD3}\\x{1FD6}-\\x{1FDB}\\x{1FE0}-\\x{1FEC}\\x{1FF2}-\\x{1FF4}\\x{1FF6}-\\x{1FFC}\\x{2102}" +
            "\\x{2107}\\x{210A}-\\x{2113}\\x{2115}\\x{2119}-\\x{211D}\\x{2124}\\x{2126}\\x{2128}\\x{212A}-\\x{212D}" +
            "\\x{212F}-\\x{2134}\\x{2139}\\x{213C}-\\x{213F}\\x{2145}-\\x{2149}\\x{214E}\\x{2183}\\x{2184}" +
            "\\x{2C00}-\\x{2C7B}\\x{2C7E}-\\x{2CE4}\\x{2CEB}-\\x{2CEE}\\x{2CF2}\\x{2CF3}\\x{A640}-\\x{A66D}" +
            "\\x{A680}-\\x{A69B}\\x{A722}-\\x{A76F}\\x{A771}-\\x{A787}\\x{A78B}-\\x{A78E}\\x{AB70}-\\x{ABBF}" +
            "\\x{FB00}-\\x{FB06}\\x{FB13}-\\x{FB17}\\x{FF21}-\\x{FF3A}\\x{FF41}-\\x{FF5A}\\x{10400}-\\x{1044F}" +
            "\\x{104B0}-\\x{104D3}\\x{104D8}-\\x{104FB}\\x{10C80}-\\x{10CB2}\\x{10CC0}-\\x{10CF2}\\x{118A0}-\\x{118DF}" +
            "\\x{1E900}-\\x{1E943}" + "]";
    // BLOOM-style: optional space, then a run of anything but whitespace, '(', '|', ')' and the listed
    // sentence punctuation . , ! ? … 。 ， 、 । ۔ ،
    private static final String BLOOM = " ?[^(\\s|.,!?\\x{2026}\\x{3002}\\x{FF0C}\\x{3001}\\x{0964}\\x{06D4}\\x{060C})]+";

    private static final Map<String, String[]> PATTERNS = Map.ofEntries(
            Map.entry("default", new String[] {
                    "[\\p{P}\\$\\+<=>\\^~\\|]+", GPT2, "\\p{N}+", "[0-9][0-9][0-9]"}),
            Map.entry("gpt2", new String[] {GPT2}),
            Map.entry("llama3", new String[] {LLAMA3}),
            Map.entry("qwen2", new String[] {QWEN2}),
            Map.entry("deepseek-llm", new String[] {
                    "[\\r\\n]",
                    // a run of DeepSeek's letters, optionally after one whitespace
                    "\\s?" + DEEPSEEK_LETTERS + "+",
                    // ASCII punctuation and symbols (the range :-~ spans letters too), their full-width forms,
                    // quotation marks U+2018..U+201F and the ideographic space, comma and full stop
                    "\\s?[!-/:-~\\x{FF01}-\\x{FF0F}\\x{FF1A}-\\x{FF5E}\\x{2018}-\\x{201F}\\x{3000}-\\x{3002}]+",
                    "\\s+\\z",
                    DEEPSEEK_CJK,
                    "\\p{N}+"}),
            Map.entry("deepseek-coder", new String[] {
                    "[\\r\\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", DEEPSEEK_CJK, "\\p{N}"}),
            Map.entry("falcon", new String[] {"[\\p{P}\\$\\+<=>\\^~\\|`]+", GPT2, "[0-9][0-9][0-9]"}),
            Map.entry("starcoder", new String[] {"\\p{N}", GPT2}),
            Map.entry("bloom", new String[] {BLOOM}),
            Map.entry("viking", new String[] {BLOOM, "\\p{N}"}));

    /** tokenizer.ggml.pre name → (pattern set, ignore merges, clean spaces), after llama.cpp's loader. */
    private static final Map<String, Object[]> NAMES = Map.ofEntries(
            Map.entry("default", new Object[] {"default", false, true}),
            Map.entry("llama3", new Object[] {"llama3", true, true}),
            Map.entry("llama-v3", new Object[] {"llama3", true, true}),
            Map.entry("llama-bpe", new Object[] {"llama3", true, true}),
            Map.entry("falcon3", new Object[] {"llama3", true, true}),
            Map.entry("dbrx", new Object[] {"llama3", false, true}),
            Map.entry("smaug-bpe", new Object[] {"llama3", false, true}),
            Map.entry("chatglm-bpe", new Object[] {"llama3", false, true}),
            Map.entry("glm4", new Object[] {"llama3", false, true}),
            Map.entry("deepseek-llm", new Object[] {"deepseek-llm", false, false}),
            Map.entry("deepseek-coder", new Object[] {"deepseek-coder", false, false}),
            Map.entry("falcon", new Object[] {"falcon", false, true}),
            Map.entry("mpt", new Object[] {"gpt2", false, true}),
            Map.entry("olmo", new Object[] {"gpt2", false, true}),
            Map.entry("jais", new Object[] {"gpt2", false, true}),
            Map.entry("gpt-2", new Object[] {"gpt2", false, true}),
            Map.entry("phi-2", new Object[] {"gpt2", false, true}),
            Map.entry("jina-es", new Object[] {"gpt2", false, true}),
            Map.entry("jina-de", new Object[] {"gpt2", false, true}),
            Map.entry("jina-v1-en", new Object[] {"gpt2", false, true}),
            Map.entry("jina-v2-es", new Object[] {"gpt2", false, true}),
            Map.entry("jina-v2-de", new Object[] {"gpt2", false, true}),
            Map.entry("jina-v2-code", new Object[] {"gpt2", false, true}),
            Map.entry("roberta-bpe", new Object[] {"gpt2", false, true}),
            Map.entry("gigachat", new Object[] {"gpt2", false, true}),
            Map.entry("starcoder", new Object[] {"starcoder", false, true}),
            Map.entry("refact", new Object[] {"starcoder", false, true}),
            Map.entry("command-r", new Object[] {"starcoder", false, false}),
            Map.entry("smollm", new Object[] {"starcoder", false, false}),
            Map.entry("codeshell", new Object[] {"starcoder", false, true}),
            Map.entry("exaone", new Object[] {"starcoder", false, true}),
            Map.entry("minerva-7b", new Object[] {"starcoder", false, true}),
            Map.entry("qwen2", new Object[] {"qwen2", false, false}),
            Map.entry("deepseek-r1-qwen", new Object[] {"qwen2", false, false}),
            Map.entry("megrez", new Object[] {"qwen2", false, true}),
            Map.entry("stablelm2", new Object[] {"qwen2", false, true}),
            Map.entry("poro-chat", new Object[] {"bloom", false, false}),
            Map.entry("bloom", new Object[] {"bloom", false, true}),
            Map.entry("gpt3-finnish", new Object[] {"bloom", false, true}),
            Map.entry("viking", new Object[] {"viking", false, false}));

    private static final Map<String, List<Pattern>> COMPILED = new ConcurrentHashMap<>();

    PreTokenizer {
        patterns = List.copyOf(patterns);
    }

    /** The pre-tokenizer llama.cpp uses for {@code pre}; unknown or empty names fall back to {@code default} with a one-time warning. */
    static PreTokenizer forName(String pre) {
        Object[] cfg = NAMES.get(pre);
        if (cfg == null) {
            if (WARNED.add(pre)) {
                LOG.log(System.Logger.Level.WARNING, pre.isEmpty()
                        ? "BPE vocabulary without tokenizer.ggml.pre; using the default pre-tokenizer (tokenization may differ from the model's)"
                        : "unknown BPE pre-tokenizer ''{0}''; using the default pre-tokenizer (tokenization may differ from the model''s)", pre);
            }
            cfg = NAMES.get("default");
        }
        String set = (String) cfg[0];
        List<Pattern> compiled = COMPILED.computeIfAbsent(set, k -> {
            List<Pattern> ps = new ArrayList<>();
            for (String re : PATTERNS.get(k)) ps.add(Pattern.compile(re, Pattern.UNICODE_CHARACTER_CLASS));
            return List.copyOf(ps);
        });
        return new PreTokenizer(pre, compiled, (Boolean) cfg[1], (Boolean) cfg[2]);
    }

    /** Splits {@code text} into pre-tokens (their concatenation is {@code text}). */
    List<String> split(String text) {
        List<int[]> pieces = new ArrayList<>();
        if (!text.isEmpty()) pieces.add(new int[] {0, text.length()});
        for (Pattern p : patterns) {
            List<int[]> next = new ArrayList<>();
            Matcher m = p.matcher(text);
            for (int[] piece : pieces) {
                int pos = piece[0];
                m.region(piece[0], piece[1]);
                while (m.find()) {
                    if (m.end() == m.start()) continue; // none of the patterns matches empty text; be safe anyway
                    if (m.start() > pos) next.add(new int[] {pos, m.start()});
                    next.add(new int[] {m.start(), m.end()});
                    pos = m.end();
                }
                if (pos < piece[1]) next.add(new int[] {pos, piece[1]});
            }
            pieces = next;
        }
        List<String> out = new ArrayList<>(pieces.size());
        for (int[] piece : pieces) out.add(text.substring(piece[0], piece[1]));
        return out;
    }
}
