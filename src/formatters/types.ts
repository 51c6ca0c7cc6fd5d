/** The contract of every output format: one complete report in, one string out. */
import type { Report } from "../report/types.js";

export interface FormatOptions {
  /** ANSI colour allowed (terminal formats only). @default false */
  color: boolean;
  /** Terminal width for wrapping (terminal formats only). @default 100 */
  width?: number;
  /** A short variant where the format has one (Markdown for pull-request comments). @default false */
  short?: boolean;
  /**
   * Most rows the HTML report's findings tables show, the rest counted under each table (the page
   * printed to PDF: hundreds of thousands of rows are thousands of pages, more than Chromium lays
   * out). @default no limit
   */
  tableRows?: number;
}

/** A pure function from a report to the text of one format. */
export type Formatter = (report: Report, options: FormatOptions) => string;

/**
 * The same text in pieces, for formats whose documents grow with the findings: written piece by
 * piece, a report of a million resources is never held as one string (which V8 caps at 512 MiB),
 * and the objects behind each piece are made only while it is rendered.
 */
export type ChunkedFormatter = (report: Report, options: FormatOptions) => Iterable<string>;
