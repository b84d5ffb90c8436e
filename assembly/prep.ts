export { alloc, free, memoryBytes } from "./common/alloc";
export * from "./prep/series";
export * from "./prep/fft";
export * from "./prep/resize";
export * from "./prep/image";
export * from "./prep/quantize";
export * from "./prep/norm";
export * from "./prep/table";
