// weir/infer: onnxruntime-web models fed from prep tensors, post-processing, anomaly detectors.
export * from './model.js';
export * from './post.js';
export * from './detectors.js';
