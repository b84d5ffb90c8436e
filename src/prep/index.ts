// weir/prep: tensors from images, tables and series, matching the ONNX operators models expect.
export * from './tensor.js';
export * from './rolling.js';
export * from './ewm.js';
export * from './frame.js';
export * from './windows.js';
export * from './fft.js';
export * from './resize.js';
export * from './table.js';
export * from './image.js';
export * from './quantize.js';
export * from './layer-norm.js';
