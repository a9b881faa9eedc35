/**
 * Checkpoint messages (WIRE.md §6.6), handed to the checkpoint service as the plaza verified them.
 */
import type { AgentContext, On } from './agent-context.js'
import type { CheckpointService } from './checkpoint-service.js'

export function onCheckpoint(ctx: AgentContext, checkpoints: CheckpointService, on: On): void {
  const { metrics } = ctx
  on('checkpoint_propose', ({ message }) => {
    metrics.messageIn('checkpoint_propose')
    checkpoints.onProposal(message)
  })
  on('checkpoint_vote', ({ message }) => {
    metrics.messageIn('checkpoint_vote')
    checkpoints.onVote(message)
  })
  on('checkpoint_final', ({ message, voters }) => {
    metrics.messageIn('checkpoint_final')
    checkpoints.onFinal({ id: message.id, checkpoint: message.checkpoint, voters })
  })
}
