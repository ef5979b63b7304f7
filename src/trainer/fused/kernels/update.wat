;; The optimizer updates of the fused trainer, four floats at a time (wasm SIMD). Every array is a
;; byte offset into the shared memory; `end` is exclusive; lengths are multiples of 4 floats.
;; Each operation is the f32 operation tfjs' optimizer performs, in the same order, so the
;; results equal tfjs' bit for bit (IEEE add/mul/div/sqrt round the same in both).
;; Rebuild updateKernel.ts with `node scripts/build-kernels.mjs` after editing.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; dst[i] += src[i]
  (func (export "addInto") (param $dst i32) (param $src i32) (param $end i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (v128.store (local.get $dst)
          (f32x4.add (v128.load (local.get $dst)) (v128.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $next))))

  ;; ms = ms·decay + g²·(1-decay);  p = p - (g·lr) / sqrt(ms + ε)   (tfjs RMSProp, momentum 0, not centered)
  (func (export "rmsprop") (param $p i32) (param $g i32) (param $ms i32) (param $end i32)
      (param $lr f32) (param $decay f32) (param $oneMinusDecay f32) (param $eps f32)
    (local $vlr v128) (local $vdecay v128) (local $vomd v128) (local $veps v128)
    (local $grad v128) (local $meanSquare v128)
    (local.set $vlr (f32x4.splat (local.get $lr)))
    (local.set $vdecay (f32x4.splat (local.get $decay)))
    (local.set $vomd (f32x4.splat (local.get $oneMinusDecay)))
    (local.set $veps (f32x4.splat (local.get $eps)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $grad (v128.load (local.get $g)))
        (local.set $meanSquare
          (f32x4.add
            (f32x4.mul (v128.load (local.get $ms)) (local.get $vdecay))
            (f32x4.mul (f32x4.mul (local.get $grad) (local.get $grad)) (local.get $vomd))))
        (v128.store (local.get $ms) (local.get $meanSquare))
        (v128.store (local.get $p)
          (f32x4.sub (v128.load (local.get $p))
            (f32x4.div (f32x4.mul (local.get $grad) (local.get $vlr))
              (f32x4.sqrt (f32x4.add (local.get $meanSquare) (local.get $veps))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $ms (i32.add (local.get $ms) (i32.const 16)))
        (br $next))))

  ;; m = m·β1 + g·(1-β1);  v = v·β2 + g²·(1-β2);
  ;; p = ((m / (1-β1ᵗ)) / (sqrt(v / (1-β2ᵗ)) + ε))·(-lr) + p   (tfjs Adam)
  (func (export "adam") (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $end i32)
      (param $negLr f32) (param $beta1 f32) (param $oneMinusBeta1 f32) (param $beta2 f32)
      (param $oneMinusBeta2 f32) (param $oneMinusAccBeta1 f32) (param $oneMinusAccBeta2 f32) (param $eps f32)
    (local $vb1 v128) (local $vomb1 v128) (local $vb2 v128) (local $vomb2 v128)
    (local $vacc1 v128) (local $vacc2 v128) (local $veps v128) (local $vnlr v128)
    (local $grad v128) (local $first v128) (local $second v128)
    (local.set $vb1 (f32x4.splat (local.get $beta1)))
    (local.set $vomb1 (f32x4.splat (local.get $oneMinusBeta1)))
    (local.set $vb2 (f32x4.splat (local.get $beta2)))
    (local.set $vomb2 (f32x4.splat (local.get $oneMinusBeta2)))
    (local.set $vacc1 (f32x4.splat (local.get $oneMinusAccBeta1)))
    (local.set $vacc2 (f32x4.splat (local.get $oneMinusAccBeta2)))
    (local.set $veps (f32x4.splat (local.get $eps)))
    (local.set $vnlr (f32x4.splat (local.get $negLr)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $grad (v128.load (local.get $g)))
        (local.set $first
          (f32x4.add (f32x4.mul (v128.load (local.get $m)) (local.get $vb1))
            (f32x4.mul (local.get $grad) (local.get $vomb1))))
        (local.set $second
          (f32x4.add (f32x4.mul (v128.load (local.get $v)) (local.get $vb2))
            (f32x4.mul (f32x4.mul (local.get $grad) (local.get $grad)) (local.get $vomb2))))
        (v128.store (local.get $m) (local.get $first))
        (v128.store (local.get $v) (local.get $second))
        (v128.store (local.get $p)
          (f32x4.add
            (f32x4.mul
              (f32x4.div (f32x4.div (local.get $first) (local.get $vacc1))
                (f32x4.add (f32x4.sqrt (f32x4.div (local.get $second) (local.get $vacc2))) (local.get $veps)))
              (local.get $vnlr))
            (v128.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $m (i32.add (local.get $m) (i32.const 16)))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (br $next))))

  ;; p = g·(-lr) + p   (tfjs SGD)
  (func (export "sgd") (param $p i32) (param $g i32) (param $end i32) (param $negLr f32)
    (local $vnlr v128)
    (local.set $vnlr (f32x4.splat (local.get $negLr)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (v128.store (local.get $p)
          (f32x4.add (f32x4.mul (local.get $vnlr) (v128.load (local.get $g))) (v128.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (br $next))))
)
