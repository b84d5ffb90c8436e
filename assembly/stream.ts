export { alloc, free, memoryBytes } from "./common/alloc";
