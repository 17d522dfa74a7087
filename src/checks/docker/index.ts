export {
  containerLabel,
  parseInspect,
  parseInspectInput,
  type ContainerInput,
  type Inspect,
} from './inspect.js';
export { checkInspectText, checkLiveContainers, type LiveContainerOptions } from './scan.js';
export { readInputText } from './read-input.js';
