/** The live child's entry when vmscope runs from source (tsx); the built CLI runs `vmscope sandbox child`. */
import { runLiveChild } from './child';

runLiveChild();
