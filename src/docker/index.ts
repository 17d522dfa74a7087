export { dockerGetJson, dockerHostLabel, type DockerApiOptions } from './api.js';
