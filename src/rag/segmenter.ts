/** Splits Chinese text into words. Node uses jieba; other runtimes may plug in their own. */
export interface Segmenter {
  cut(text: string): string[]
}
